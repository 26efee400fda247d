package run.getstack.sdk.testkit.internal.services;

import java.time.Instant;
import java.util.List;
import run.getstack.sdk.testkit.internal.crypto.Envelope;

/** Internal, not for public use. A connected service with its envelope-encrypted secret. */
public final class Connection {
    /** Id, {@code scon_…} (hosted STACK's live form; older documents show {@code svc_conn_…}). */
    public final String id;
    /** Owning operator. */
    public final String operatorId;
    /** The catalog entry. */
    public final CatalogService service;
    /** Connection scopes. */
    public final List<String> scopes;
    /** Credential reference carried in passports (and the envelope's associated data). */
    public final String credRef;
    /** The sealed secret. */
    final Envelope secret;
    /** When connected. */
    public final Instant createdAt;

    Connection(
            String id,
            String operatorId,
            CatalogService service,
            List<String> scopes,
            String credRef,
            Envelope secret,
            Instant createdAt) {
        this.id = id;
        this.operatorId = operatorId;
        this.service = service;
        this.scopes = List.copyOf(scopes);
        this.credRef = credRef;
        this.secret = secret;
        this.createdAt = createdAt;
    }
}
