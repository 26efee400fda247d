package run.getstack.sdk.service;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * What {@link Services#connect(ConnectRequest)} sends ({@code POST /v1/services/connect}). Checked as it is built
 * ({@link IllegalArgumentException} naming the field). The OAuth token, if any, is held as a {@link Secret} and never
 * shown by {@link #toString()}. Immutable.
 */
public final class ConnectRequest {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String serviceId;
    private final List<String> scopes;
    private final @Nullable String redirectUri;
    private final @Nullable Secret oauthToken;

    private ConnectRequest(
            String serviceId, List<String> scopes, @Nullable String redirectUri, @Nullable Secret oauthToken) {
        this.serviceId = serviceId;
        this.scopes = scopes;
        this.redirectUri = redirectUri;
        this.oauthToken = oauthToken;
    }

    /**
     * A connection request.
     *
     * @param serviceId the catalog id ({@code svc_slack}) or provider slug
     * @param scopes one or more scopes (each at most 256 characters)
     * @return the request
     */
    public static ConnectRequest of(String serviceId, List<String> scopes) {
        Objects.requireNonNull(serviceId, "service_id");
        if (!SERVICE.matcher(serviceId).matches()) {
            throw new IllegalArgumentException("service_id: must be 1 to 128 characters of [A-Za-z0-9_.-]");
        }
        return new ConnectRequest(serviceId, ServiceRules.scopes(scopes), null, null);
    }

    /**
     * Returns a copy with the OAuth redirect URI.
     *
     * @param uri an absolute {@code https://} URI (or {@code http://} on a loopback host), at most 2048 characters
     * @return the request
     */
    public ConnectRequest redirectUri(String uri) {
        Objects.requireNonNull(uri, "redirect_uri");
        if (uri.length() > 2048
                || !(uri.startsWith("https://")
                        || uri.startsWith("http://localhost")
                        || uri.startsWith("http://127.0.0.1"))) {
            throw new IllegalArgumentException(
                    "redirect_uri: must be an https:// URI (http:// only on a loopback host), at most 2048 characters");
        }
        return new ConnectRequest(serviceId, scopes, uri, oauthToken);
    }

    /**
     * Returns a copy carrying an OAuth token the operator already holds.
     *
     * @param token the token (the request keeps a reference)
     * @return the request
     */
    public ConnectRequest oauthToken(Secret token) {
        return new ConnectRequest(serviceId, scopes, redirectUri, Objects.requireNonNull(token, "oauth_token"));
    }

    /**
     * Returns the service.
     *
     * @return the catalog id or provider slug
     */
    public String serviceId() {
        return serviceId;
    }

    /**
     * Returns the scopes.
     *
     * @return the scopes
     */
    public List<String> scopes() {
        return scopes;
    }

    /**
     * Returns the redirect URI, or null.
     *
     * @return the URI
     */
    public @Nullable String redirectUri() {
        return redirectUri;
    }

    /**
     * Returns the OAuth token, or null.
     *
     * @return the token
     */
    public @Nullable Secret oauthToken() {
        return oauthToken;
    }

    @Override
    public String toString() {
        return "ConnectRequest{serviceId=" + serviceId + ", scopes=" + scopes + ", redirectUri=" + redirectUri
                + ", oauthToken=" + (oauthToken == null ? "none" : "[redacted]") + '}';
    }
}
