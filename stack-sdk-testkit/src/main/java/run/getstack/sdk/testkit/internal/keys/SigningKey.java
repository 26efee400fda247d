package run.getstack.sdk.testkit.internal.keys;

import java.security.KeyPair;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. One passport signing key; guarded by the state lock. */
public final class SigningKey {
    /** RFC 7638 thumbprint. */
    public final String kid;
    /** The key pair. */
    public final KeyPair pair;
    /** When it started signing. */
    public final Instant createdAt;
    /** When it was replaced, or null while current. */
    public @Nullable Instant retiredAt;

    SigningKey(String kid, KeyPair pair, Instant createdAt) {
        this.kid = kid;
        this.pair = pair;
        this.createdAt = createdAt;
    }
}
