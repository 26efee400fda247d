package run.getstack.sdk.testkit.internal.proxy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;

/** Internal, not for public use. Forwards a proxied call to the upstream; failures are {@link ApiError}s. */
public interface Proxy {
    /**
     * One upstream call (the credential already injected).
     *
     * @param method HTTP method
     * @param url absolute URL
     * @param headers request headers
     * @param body JSON body bytes, or null
     */
    @SuppressWarnings("ArrayRecordComponent")
    record Call(String method, String url, Map<String, String> headers, byte @Nullable [] body) {
        @Override
        public String toString() {
            return "Call[" + method + " " + url + "]";
        }
    }

    /**
     * The upstream's answer.
     *
     * @param status status
     * @param headers headers
     * @param body body bytes
     */
    @SuppressWarnings("ArrayRecordComponent")
    record Result(int status, Map<String, List<String>> headers, byte[] body) {}

    /**
     * Forwards.
     *
     * @param call the call
     * @return the answer
     * @throws ApiError 502 UPSTREAM_ERROR or 504 UPSTREAM_TIMEOUT
     */
    Result forward(Call call);
}
