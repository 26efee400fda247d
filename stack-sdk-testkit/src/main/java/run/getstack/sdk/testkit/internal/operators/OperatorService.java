package run.getstack.sdk.testkit.internal.operators;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.crypto.EnvelopeCipher;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Operators and their API keys. A reset keeps the pinned operators (the fake's default
 * one) with their keys.
 */
public final class OperatorService {
    private final FakeState state;
    private final OperatorStore store;
    private final Map<String, Operator> operators;

    OperatorService(FakeState state, OperatorStore store) {
        this.state = state;
        this.store = store;
        this.operators = store.operators;
    }

    /**
     * Keeps operators across resets.
     *
     * @param ids operator ids
     */
    public void pin(Collection<String> ids) {
        state.locked(() -> {
            store.pinned.clear();
            store.pinned.addAll(ids);
        });
    }

    /**
     * Creates an operator with one API key; only the key's SHA-256 is kept.
     *
     * @param name display name
     * @param apiKey the plaintext key
     * @return the operator id
     */
    public String create(String name, String apiKey) {
        return state.locked(() -> {
            Operator op = new Operator(Wire.id("op_"), name, EnvelopeCipher.newTenantKey());
            op.keyHashes.add(Hashes.sha256(apiKey.getBytes(StandardCharsets.UTF_8)));
            operators.put(op.id, op);
            return op.id;
        });
    }

    /**
     * An operator; call under the state lock.
     *
     * @param id operator id
     * @return the operator
     * @throws IllegalArgumentException when unknown
     */
    public Operator get(String id) {
        Operator op = operators.get(id);
        if (op == null) {
            throw new IllegalArgumentException("unknown operator: " + id);
        }
        return op;
    }

    /**
     * The operator an API key belongs to (constant-time comparison of hashes); call under the state lock.
     *
     * @param apiKey {@code sk_live_…}
     * @return the operator id
     * @throws ApiError 401 {@code INVALID_API_KEY}
     */
    public String authenticate(String apiKey) {
        byte[] presented = Hashes.sha256(apiKey.getBytes(StandardCharsets.UTF_8));
        Operator match = null;
        for (Operator op : operators.values()) {
            for (byte[] h : op.keyHashes) {
                if (Hashes.constantTimeEquals(h, presented) && match == null) {
                    match = op;
                }
            }
        }
        if (match == null) {
            throw new ApiError(401, "INVALID_API_KEY", "Invalid API key", null);
        }
        return match.id;
    }
}
