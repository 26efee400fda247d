package run.getstack.sdk.testkit.internal.services;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.crypto.Envelope;
import run.getstack.sdk.testkit.internal.crypto.EnvelopeCipher;
import run.getstack.sdk.testkit.internal.grants.GrantService;
import run.getstack.sdk.testkit.internal.leases.LeaseService;
import run.getstack.sdk.testkit.internal.operators.Operator;
import run.getstack.sdk.testkit.internal.operators.OperatorService;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. The catalog and connected services (wire protocol §4.1), each secret sealed with the
 * operator's key. Disconnecting revokes the passports that carry the connection ({@link PassportRevocation}), ends
 * its leases ({@link LeaseService}) and drops its grants ({@link GrantService}). Runs under the state lock.
 */
public final class ConnectionService {
    private final FakeState state;
    private final ServiceStore store;
    private final Services services;

    ConnectionService(FakeState state, ServiceStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    /**
     * Adds (or replaces) a catalog service.
     *
     * @param provider slug
     * @param name display name
     * @param authType {@code oauth}, {@code api_key} or {@code multi_field}
     * @param fields multi-field names
     * @return the catalog id
     */
    public String addCatalog(String provider, String name, String authType, List<String> fields) {
        return state.locked(() -> store.add(provider, name, authType, fields));
    }

    /**
     * A connection by id.
     *
     * @param id connection id
     * @return it, or null
     */
    public @Nullable Connection find(String id) {
        return store.connections.get(id);
    }

    /**
     * The operator's connections of a provider.
     *
     * @param operatorId operator
     * @param provider provider slug
     * @return connections in connect order
     */
    List<Connection> ofProvider(String operatorId, String provider) {
        return store.connections.values().stream()
                .filter(c ->
                        c.operatorId.equals(operatorId) && c.service.provider().equals(provider))
                .toList();
    }

    /**
     * Connects directly (seeding).
     *
     * @param operatorId operator
     * @param provider provider slug
     * @param scopes scopes
     * @param credential single value or null
     * @param fields multi-field values or null
     * @return the connection id
     */
    public String seed(
            String operatorId,
            String provider,
            List<String> scopes,
            @Nullable String credential,
            @Nullable Map<String, String> fields) {
        return state.locked(() -> {
            CatalogService svc = store.catalog.get(provider);
            if (svc == null) {
                throw new IllegalArgumentException("unknown provider: " + provider);
            }
            services.get(OperatorService.class).get(operatorId);
            return connect(operatorId, svc, scopes, credential, fields, null).id;
        });
    }

    private Connection connect(
            String operatorId,
            CatalogService svc,
            List<String> scopes,
            @Nullable String credential,
            @Nullable Map<String, String> fields,
            @Nullable String trace) {
        Operator op = services.get(OperatorService.class).get(operatorId);
        String credRef = Wire.id("cred_ref_");
        ObjectNode secret = Json.object();
        if (fields != null) {
            ObjectNode f = secret.putObject("credentials");
            fields.forEach(f::put);
        } else {
            secret.put(
                    "credential",
                    credential != null ? credential : "fake-" + svc.provider() + "-" + Wire.newId("", 32));
        }
        Envelope env = EnvelopeCipher.seal(
                Json.write(secret).getBytes(StandardCharsets.UTF_8),
                op.tenantKey,
                credRef.getBytes(StandardCharsets.UTF_8));
        Connection c = new Connection(Wire.id("scon_"), op.id, svc, scopes, credRef, env, state.now());
        store.connections.put(c.id, c);
        audit().append(op.id, null, null, "service.connect", "success", trace, null);
        return c;
    }

    Connection connectEndpoint(String operatorId, Body b, String trace) {
        String serviceId = b.reqString("service_id", 128);
        List<String> scopes = b.reqStrings("scopes", 1, 100, 256);
        b.optString("redirect_uri", 2048);
        b.optString("oauth_token", 8192);
        String credential = b.optString("credential", 8192);
        Body creds = b.optObject("credentials");
        Map<String, String> fields = null;
        if (creds != null) {
            fields = new LinkedHashMap<>();
            var it = creds.node().properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw ApiError.invalid("credentials." + e.getKey(), "must be a string");
                }
                if (e.getValue().asText().length() > 8192) {
                    throw ApiError.invalid("credentials." + e.getKey(), "must be at most 8192 characters");
                }
                fields.put(e.getKey(), e.getValue().asText());
            }
        }
        if (credential != null && fields != null) {
            throw ApiError.invalid("credentials", "send either credential or credentials, not both");
        }
        CatalogService svc = null;
        for (CatalogService s : store.catalog.values()) {
            if (s.id().equals(serviceId) || s.provider().equals(serviceId)) {
                svc = s;
            }
        }
        if (svc == null) {
            throw ApiError.notFound("Service");
        }
        return connect(operatorId, svc, scopes, credential, fields, trace);
    }

    ObjectNode catalogJson() {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("services");
        for (CatalogService s : store.catalog.values()) {
            ObjectNode o = arr.addObject();
            o.put("id", s.id());
            o.put("provider", s.provider());
            o.put("name", s.name());
            o.put("auth_type", s.authType());
            o.set("fields", Json.strings(s.fields()));
        }
        return root;
    }

    ObjectNode connectedJson(String operatorId) {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("connections");
        store.connections.values().stream()
                .filter(c -> c.operatorId.equals(operatorId))
                .forEach(c -> arr.add(connectionJson(c)));
        return root;
    }

    static ObjectNode connectionJson(Connection c) {
        ObjectNode o = Json.object();
        o.put("id", c.id);
        o.put("service_id", c.service.id());
        o.put("provider", c.service.provider());
        o.set("scopes", Json.strings(c.scopes));
        o.put("status", "active");
        o.put("created_at", Wire.iso(c.createdAt));
        return o;
    }

    ObjectNode disconnect(String operatorId, String connId, String trace) {
        Connection c = store.connections.get(connId);
        if (c == null || !c.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Service connection");
        }
        int count = services.get(PassportRevocation.class)
                .revokeConnection(operatorId, connId, "service_disconnected: " + connId, trace);
        services.get(LeaseService.class).revokeByConnection(connId, trace);
        services.get(GrantService.class).removeConnection(connId);
        store.connections.remove(connId);
        audit().append(operatorId, null, null, "service.disconnect", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("id", connId);
        o.put("disconnected", true);
        o.put("revoked_count", count);
        return o;
    }

    /**
     * Opens a connection's sealed secret; the plaintext bytes are wiped after parsing.
     *
     * @param c connection
     * @return {@code {credential}} or {@code {credentials:{...}}}
     */
    public ObjectNode openSecret(Connection c) {
        Operator op = services.get(OperatorService.class).get(c.operatorId);
        byte[] plain = EnvelopeCipher.open(c.secret, op.tenantKey, c.credRef.getBytes(StandardCharsets.UTF_8));
        try {
            return (ObjectNode) Json.MAPPER.readTree(plain);
        } catch (IOException e) {
            throw new ApiError(500, "INTERNAL_ERROR", "stored credential unreadable", null);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
