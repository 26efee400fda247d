package run.getstack.sdk.testkit.internal.operators;

import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/** Internal, not for public use. An operator (tenant): its API key hashes and its envelope key. Guarded by the state lock. */
public final class Operator {
    /** Id, {@code op_…}. */
    public final String id;
    /** Display name. */
    public final String name;
    /** SHA-256 of each API key; the plaintext is never kept. */
    public final List<byte[]> keyHashes = new ArrayList<>();
    /** The tenant's key-encryption key for stored credentials. */
    public final SecretKey tenantKey;

    Operator(String id, String name, SecretKey tenantKey) {
        this.id = id;
        this.name = name;
        this.tenantKey = tenantKey;
    }
}
