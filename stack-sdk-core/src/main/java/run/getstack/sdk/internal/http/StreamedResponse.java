package run.getstack.sdk.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import okhttp3.Call;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackMalformedResponseException;

/**
 * Internal, not for public use. A successful response whose body is still open, from {@link
 * Transport#open(ApiRequest)}. The caller reads {@link #body()} at its own pace and must {@link #close()} it;
 * closing early cancels the rest of the download. Not thread-safe.
 */
public final class StreamedResponse implements AutoCloseable {
    private final Response response;
    private final Call call;
    private final ApiRequest request;
    private final String requestId;
    private final Instant receivedAt;

    StreamedResponse(Response response, Call call, ApiRequest request, String requestId, Instant receivedAt) {
        this.response = response;
        this.call = call;
        this.request = request;
        this.requestId = requestId;
        this.receivedAt = receivedAt;
    }

    /**
     * Returns the HTTP status (2xx).
     *
     * @return the status
     */
    public int status() {
        return response.code();
    }

    /**
     * Returns a response header, or null.
     *
     * @param name the header
     * @return its value
     */
    public @Nullable String header(String name) {
        return response.header(name);
    }

    /**
     * Returns the media type without parameters, lower case ({@code ""} if none was sent).
     *
     * @return e.g. {@code application/x-ndjson}
     */
    public String mediaType() {
        String ct = response.header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the request id of the call.
     *
     * @return the id
     */
    public String requestId() {
        return requestId;
    }

    /**
     * Returns when the headers arrived, on the client's clock.
     *
     * @return the instant
     */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * Returns the body stream (the same one on every call).
     *
     * @return the body
     */
    public InputStream body() {
        return response.body().byteStream();
    }

    /**
     * Maps a failure while reading the body to the client's exceptions: an interrupt to {@link
     * StackInterruptedException} (flag kept), a timeout to {@code StackTimeoutException}, anything else to a body
     * cut short.
     *
     * @param e the failure
     * @return the exception to throw
     */
    public StackException readFailure(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            return new StackInterruptedException("interrupted while reading the response to " + request, requestId, e);
        }
        StackException mapped =
                Transport.networkFailure(request, response.request().url(), requestId, e, call, "callTimeout");
        if (mapped instanceof run.getstack.sdk.StackTimeoutException) {
            return mapped;
        }
        return new StackMalformedResponseException(
                "response body to " + request + " was cut short ("
                        + e.getClass().getSimpleName() + ")",
                status(),
                requestId,
                null);
    }

    /**
     * Builds the exception for a body that is not what the call expects.
     *
     * @param what what was wrong (no server text)
     * @return the exception
     */
    public StackMalformedResponseException malformed(String what) {
        return new StackMalformedResponseException(what, status(), requestId, null);
    }

    /** Releases the connection (one not read to its end is closed, not reused). Idempotent. */
    @Override
    public void close() {
        response.close();
    }
}
