package run.getstack.sdk.credential.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.credential.Credential;
import run.getstack.sdk.credential.CredentialValue;
import run.getstack.sdk.credential.Credentials;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.passport.Passport;

/** Internal, not for public use. {@link Credentials} over {@code GET /v1/credentials/*} (wire protocol §4.2). */
public final class DefaultCredentials implements Credentials {
    private final CapabilityContext ctx;

    /**
     * Creates the resource.
     *
     * @param ctx the shared context
     */
    public DefaultCredentials(CapabilityContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    @Override
    public Credential get(String provider) {
        ctx.checkProvider(provider, "provider", "use credentials().byConnection(connectionId)");
        Passport p = ctx.currentPassport();
        ctx.requireProviderInScope(p, provider, "credential");
        return fetch(p, "/v1/credentials/" + provider, provider, null).toCredential(p);
    }

    @Override
    public Credential byConnection(String connectionId) {
        CapabilityContext.checkConnectionId(connectionId, "connectionId");
        Passport p = ctx.currentPassport();
        String provider = ctx.requireConnectionInScope(p, connectionId, "credential");
        return fetch(p, "/v1/credentials/by-connection/" + connectionId, provider, connectionId)
                .toCredential(p);
    }

    /**
     * Reads a credential under a passport whose scope the caller has checked.
     *
     * @param p the passport
     * @param provider the provider, or null when asked by connection
     * @param connectionId the connection, or null when asked by provider
     * @return the provider as STACK named it, and the value
     */
    public Fetched fetchChecked(Passport p, @Nullable String provider, @Nullable String connectionId) {
        String path = connectionId != null
                ? "/v1/credentials/by-connection/" + connectionId
                : "/v1/credentials/" + Objects.requireNonNull(provider, "provider");
        return fetch(p, path, provider, connectionId);
    }

    private Fetched fetch(Passport p, String path, @Nullable String provider, @Nullable String connectionId) {
        Instant start = ctx.now();
        ApiRequest request = ApiRequest.get(path).passportToken(p.token()).build();
        Fetched f;
        try {
            f = ctx.transport().execute(request, r -> {
                JsonNode body = r.requireObject();
                String named = JsonFields.text(body, "provider");
                return new Fetched(named, connectionId, CredentialJson.read(body));
            });
        } catch (StackException e) {
            ctx.publish(
                    "credential.retrieve",
                    ClientEvent.Outcome.FAILURE,
                    p.jti(),
                    Duration.between(start, ctx.now()),
                    detail(provider, connectionId, e.errorCode()));
            throw ctx.refusal(e, p, "credential");
        }
        ctx.publish(
                "credential.retrieve",
                ClientEvent.Outcome.SUCCESS,
                p.jti(),
                Duration.between(start, ctx.now()),
                detail(f.provider(), connectionId, null));
        return f;
    }

    private static Map<String, String> detail(
            @Nullable String provider, @Nullable String connectionId, @Nullable String errorCode) {
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        if (provider != null) {
            d.put("provider", provider);
        }
        if (connectionId != null) {
            d.put("connection_id", connectionId);
        }
        if (errorCode != null) {
            d.put("error_code", errorCode);
        }
        return d;
    }

    /**
     * Internal, not for public use. A credential read from STACK.
     *
     * @param provider the provider STACK named
     * @param connectionId the connection asked for, if any
     * @param value the value
     */
    public record Fetched(String provider, @Nullable String connectionId, CredentialValue value) {
        Credential toCredential(Passport p) {
            return new Credential(provider, connectionId, p.jti(), value);
        }

        @Override
        public String toString() {
            return "Fetched{provider=" + provider + ", value=" + value + '}';
        }
    }
}
