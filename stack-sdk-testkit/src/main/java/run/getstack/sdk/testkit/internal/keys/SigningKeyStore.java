package run.getstack.sdk.testkit.internal.keys;

import java.util.ArrayList;
import java.util.List;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Signing keys, current first; a reset drops the retired ones and keeps the current. */
final class SigningKeyStore implements Store {
    final List<SigningKey> keys = new ArrayList<>();

    @Override
    public void reset() {
        keys.removeIf(k -> k.retiredAt != null);
    }
}
