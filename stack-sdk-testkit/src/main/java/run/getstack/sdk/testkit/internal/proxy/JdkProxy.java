package run.getstack.sdk.testkit.internal.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import run.getstack.sdk.testkit.internal.ApiError;

/** Internal, not for public use. {@link Proxy} over {@code java.net.http} with an executor the fake owns. */
public final class JdkProxy implements Proxy {
    /** Upstream responses above this size are refused (STACK: 10 MB). */
    public static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final Duration timeout;

    /**
     * Creates a forwarder.
     *
     * @param executor executor for the HTTP client (owned and shut down by the caller)
     * @param timeout upstream timeout
     */
    public JdkProxy(ExecutorService executor, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
    }

    @Override
    public Result forward(Call call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(call.url())).timeout(timeout);
        call.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                b.header(k, v);
            }
        });
        byte[] body = call.body();
        b.method(
                call.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = r.body()) {
                bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw ApiError.reason(502, "UPSTREAM_ERROR", "Upstream response too large", "response_too_large");
            }
            return new Result(r.statusCode(), r.headers().map(), bytes);
        } catch (HttpConnectTimeoutException e) {
            throw ApiError.reason(502, "UPSTREAM_ERROR", "Upstream unreachable", "connect_failed");
        } catch (HttpTimeoutException e) {
            throw new ApiError(504, "UPSTREAM_TIMEOUT", "Upstream did not answer in time", null);
        } catch (java.net.ConnectException e) {
            throw ApiError.reason(502, "UPSTREAM_ERROR", "Upstream unreachable", "connect_failed");
        } catch (IOException e) {
            throw ApiError.reason(502, "UPSTREAM_ERROR", "Upstream protocol error", "protocol_error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "SERVICE_UNAVAILABLE", "Interrupted", null);
        }
    }
}
