package run.getstack.sdk.testkit;

import java.util.List;
import java.util.Objects;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * The person at the identity provider, for tests ({@link FakeControlPlane#identity()}): a verification session the
 * default operator started ({@code POST /v1/identity/verifications}) stays {@code pending} until the test approves or
 * rejects it here. Approving creates one claim per requested claim type, which passports issued from then on carry.
 * Thread-safe.
 */
public final class FakeIdentity {
    private final Engine engine;
    private final String operatorId;

    FakeIdentity(Engine engine, String operatorId) {
        this.engine = engine;
        this.operatorId = operatorId;
    }

    /**
     * The person passes the provider's check: the session becomes {@code completed} and its claims are created.
     *
     * @param sessionId the session ({@code idv_…}) the start returned
     * @return the new claims' ids ({@code clm_…}), one per requested claim type
     * @throws IllegalArgumentException for a session the default operator does not have
     * @throws IllegalStateException when the session is no longer pending (decided or expired)
     */
    public List<String> approve(String sessionId) {
        return decide(sessionId, true);
    }

    /**
     * The person fails the provider's check: the session becomes {@code failed}.
     *
     * @param sessionId the session
     * @throws IllegalArgumentException for a session the default operator does not have
     * @throws IllegalStateException when the session is no longer pending
     */
    public void reject(String sessionId) {
        decide(sessionId, false);
    }

    private List<String> decide(String sessionId, boolean approve) {
        Objects.requireNonNull(sessionId, "sessionId");
        return engine.locked(() -> engine.identity().decide(operatorId, sessionId, approve));
    }

    @Override
    public String toString() {
        return "FakeIdentity[operator=" + operatorId + "]";
    }
}
