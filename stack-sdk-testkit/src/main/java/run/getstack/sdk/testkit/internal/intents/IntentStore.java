package run.getstack.sdk.testkit.internal.intents;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Intent and governance approvals and the two switches; guarded by the state lock. */
final class IntentStore implements Store {
    /** Intent approvals by id, in submission order. */
    final Map<String, IntentApproval> intents = new LinkedHashMap<>();

    /** Governance approvals by id, in creation order. */
    final Map<String, GovernanceApproval> governance = new LinkedHashMap<>();

    /** Whether enforced passports need an approved intent on proxy calls and skill invocations. */
    boolean intentsRequired;

    /** Whether loosening operator writes need a governance approval. */
    boolean governanceRequired;

    /** Whether an approval's answers carry {@code passport_jti} (an Extension member STACK's tools do not name). */
    boolean passportNamed = true;

    @Override
    public void reset() {
        intents.clear();
        governance.clear();
        intentsRequired = false;
        governanceRequired = false;
        passportNamed = true;
    }
}
