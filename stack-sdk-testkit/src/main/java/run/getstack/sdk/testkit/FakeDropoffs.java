package run.getstack.sdk.testkit;

import java.util.Objects;
import java.util.Optional;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.crypto.Envelope;

/**
 * What the fake holds for its drop-offs (wire protocol §10.1), for tests that check how a package is kept: sealed
 * under a data key of its own wrapped by the operator's key, and deleted on the first collect or at expiry. Every
 * read first expires what is due on the fake's clock. Thread-safe.
 */
public final class FakeDropoffs {
    private final Engine engine;
    private final String operatorId;

    FakeDropoffs(Engine engine, String operatorId) {
        this.engine = engine;
        this.operatorId = operatorId;
    }

    /**
     * The stored bytes of a drop-off's package (its ciphertext, with the GCM tag), exactly as the fake keeps them; a
     * test can show that the plaintext is not among them.
     *
     * @param dropoffId the default operator's drop-off
     * @return a copy of the ciphertext, or empty when no package is held (not deposited yet, collected, expired, or
     *     an unknown id)
     */
    public Optional<byte[]> storedCiphertext(String dropoffId) {
        Objects.requireNonNull(dropoffId, "dropoffId");
        Envelope e = engine.dropoffs().sealedPayload(operatorId, dropoffId);
        return e == null ? Optional.empty() : Optional.of(e.ciphertext());
    }

    /**
     * A drop-off's status as the fake holds it: {@code created}, {@code deposited}, {@code collected} or {@code
     * expired}.
     *
     * @param dropoffId the default operator's drop-off
     * @return the status, or empty for an unknown id
     */
    public Optional<String> status(String dropoffId) {
        Objects.requireNonNull(dropoffId, "dropoffId");
        return Optional.ofNullable(engine.dropoffs().statusOf(operatorId, dropoffId));
    }

    @Override
    public String toString() {
        return "FakeDropoffs[operator=" + operatorId + "]";
    }
}
