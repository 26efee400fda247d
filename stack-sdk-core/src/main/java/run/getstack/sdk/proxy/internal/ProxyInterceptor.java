package run.getstack.sdk.proxy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import run.getstack.sdk.StackException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;

/**
 * Internal, not for public use. Sends an OkHttp call through STACK's proxy instead of the network; the agent never
 * holds the credential. Hop-by-hop and credential headers of the original request are not forwarded.
 */
final class ProxyInterceptor implements Interceptor {
    /** Not forwarded: hop-by-hop headers, what OkHttp computes, and any credential (STACK injects its own). */
    private static final Set<String> DROPPED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "accept-encoding",
            "authorization",
            "cookie",
            "x-passport-token");

    /** Largest request body sent through the proxy (the control plane accepts 1 MiB in all). */
    private static final long MAX_BODY = 1_000_000;

    private final DefaultStackProxy proxy;
    private final String service;

    ProxyInterceptor(DefaultStackProxy proxy, String service) {
        this.proxy = proxy;
        this.service = service;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request original = chain.request();
        ProxyRequest.Builder b;
        try {
            b = ProxyRequest.builder(service, original.method(), original.url().toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot send this call through the STACK proxy: " + e.getMessage(), e);
        }
        Headers headers = original.headers();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (!DROPPED.contains(name)) {
                b.header(name, headers.value(i));
            }
        }
        RequestBody body = original.body();
        if (body != null && body.contentLength() != 0) {
            MediaType type = body.contentType();
            if (body.contentLength() > MAX_BODY) {
                throw new IOException("request body too large for the STACK proxy (over " + MAX_BODY + " bytes)");
            }
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            if (buffer.size() > MAX_BODY) {
                throw new IOException("request body too large for the STACK proxy (over " + MAX_BODY + " bytes)");
            }
            String text = buffer.readString(StandardCharsets.UTF_8);
            if (type != null && isJson(type)) {
                b.jsonBody(text);
            } else if (type == null || "text".equals(type.type())) {
                b.jsonBody(run.getstack.sdk.internal.http.Json.mapper()
                        .getNodeFactory()
                        .textNode(text)
                        .toString());
            } else {
                throw new IOException(
                        "the STACK proxy sends JSON or text bodies only, not " + type.type() + "/" + type.subtype());
            }
            if (type != null) {
                b.header("content-type", type.toString());
            }
        }
        ProxyResponse r;
        try {
            r = proxy.call(b.build());
        } catch (StackException e) {
            throw new IOException("STACK proxy call failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot send this call through the STACK proxy: " + e.getMessage(), e);
        }
        Headers.Builder hb = new Headers.Builder();
        for (java.util.Map.Entry<String, String> h : r.headers().entrySet()) {
            String k = h.getKey();
            if (!k.equals("content-length") && !k.equals("transfer-encoding") && !k.equals("content-encoding")) {
                try {
                    hb.addUnsafeNonAscii(k, h.getValue());
                } catch (IllegalArgumentException e) {
                    // an interceptor may throw only IOException; the server's name is not echoed
                    throw new IOException(
                            "the STACK proxy answered with a response header OkHttp cannot represent (an empty name"
                                    + " or one with characters not allowed in a header name)");
                }
            }
        }
        String ct = r.header("content-type");
        MediaType mt = ct == null ? null : MediaType.parse(ct);
        return new Response.Builder()
                .request(original)
                .protocol(Protocol.HTTP_1_1)
                .code(r.status())
                .message("")
                .headers(hb.build())
                .body(ResponseBody.create(r.bodyBytes(), mt))
                .build();
    }

    private static boolean isJson(MediaType t) {
        return "application".equals(t.type())
                && ("json".equals(t.subtype()) || t.subtype().endsWith("+json"));
    }

    @Override
    public String toString() {
        return "StackProxyInterceptor{" + service + '}';
    }
}
