package run.getstack.sdk.testkit.internal.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. The refresh-token grant (wire protocol §1.4, STACK v1 {@code /docs/api/authentication}:
 * a stored refresh token is exchanged for a 5-minute access token and rotates on every use). A refresh token works
 * once: a reused one is refused with {@code invalid_grant}, and (unlike OAuth's reuse detection) the token that
 * replaced it keeps working, so two clients sharing a credentials file are never locked out by a lost race.
 */
public final class TokenService {
    /** Access-token lifetime [STACK v1]. */
    static final Duration ACCESS_TTL = Duration.ofMinutes(5);

    /**
     * The longest refresh token looked up [Extension, wire protocol §1.4]: STACK documents no length, so the fake
     * takes the SDK's bound on the credentials file's token, 1 to 4096 visible ASCII characters.
     */
    static final int MAX_REFRESH_TOKEN_LENGTH = 4096;

    private final FakeState state;
    private final TokenStore store;

    TokenService(FakeState state, TokenStore store) {
        this.state = state;
        this.store = store;
    }

    private static String hash(String token) {
        return HexFormat.of().formatHex(Hashes.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Issues a refresh token for an operator (seeding; locks itself).
     *
     * @param operatorId operator
     * @return the refresh token
     */
    public String issueRefreshToken(String operatorId) {
        return state.locked(() -> newRefresh(operatorId));
    }

    private String newRefresh(String operatorId) {
        String token = "srt_" + Wire.newId("", 48);
        store.refresh.put(hash(token), new TokenStore.Refresh(operatorId));
        return token;
    }

    /**
     * The operator of a live access token; call under the state lock.
     *
     * @param token {@code sat_…}
     * @return the operator id
     * @throws ApiError 401 when unknown or expired
     */
    public String authenticate(String token) {
        TokenStore.Access a = store.access.get(hash(token));
        if (a == null) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Unknown access token", "token_unknown");
        }
        if (!state.now().isBefore(a.expiresAt())) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Access token expired", "token_expired");
        }
        return a.operatorId();
    }

    /**
     * {@code POST /v1/oauth/token} (form-encoded, RFC 6749 §6), under the state lock.
     *
     * @param call the call
     * @return 200 tokens, or 400 with an RFC 6749 error
     */
    EngineResponse token(Call call) {
        Map<String, String> form = form(call.request().body());
        String grant = form.get("grant_type");
        if (grant == null) {
            return oauthError("invalid_request", "grant_type is required");
        }
        if (!grant.equals("refresh_token")) {
            return oauthError("unsupported_grant_type", "only refresh_token is supported");
        }
        String presented = form.get("refresh_token");
        if (presented == null || presented.isEmpty()) {
            return oauthError("invalid_request", "refresh_token is required");
        }
        if (!wellFormed(presented)) {
            return oauthError(
                    "invalid_request",
                    "refresh_token must be 1 to " + MAX_REFRESH_TOKEN_LENGTH + " visible ASCII characters");
        }
        TokenStore.Refresh r = store.refresh.get(hash(presented));
        if (r == null) {
            return oauthError("invalid_grant", "unknown refresh token");
        }
        if (r.used) {
            return oauthError("invalid_grant", "refresh token already used");
        }
        r.used = true;
        String access = "sat_" + Wire.newId("", 48);
        Instant expires = state.now().plus(ACCESS_TTL);
        store.access.put(hash(access), new TokenStore.Access(r.operatorId, expires));
        store.access.values().removeIf(a -> !state.now().isBefore(a.expiresAt()));
        ObjectNode o = Json.object();
        o.put("access_token", access);
        o.put("token_type", "Bearer");
        o.put("expires_in", ACCESS_TTL.toSeconds());
        o.put("refresh_token", newRefresh(r.operatorId));
        EngineResponse resp = EngineResponse.secret(200, o);
        resp.headers().put("Cache-Control", "no-store");
        return resp;
    }

    private static boolean wellFormed(String token) {
        if (token.length() > MAX_REFRESH_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static EngineResponse oauthError(String code, String description) {
        ObjectNode o = Json.object();
        o.put("error", code);
        o.put("error_description", description);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        return new EngineResponse(400, Json.write(o), h);
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&", 16)) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("body", "is not form-encoded");
            }
        }
        return out;
    }
}
