package run.getstack.sdk.lease;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * A pass-through in front of the fake that can change the body of {@code POST /v1/leases} answers (a server whose
 * grant does not match the request, which the fake never produces) and run a hook between the fake's answer and
 * the client receiving it (to open a race window).
 */
public final class LeaseResponseRewriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    private final OkHttpClient forward = new OkHttpClient();
    private final FakeControlPlane fake;
    /** The path whose successful POST answers are rewritten ({@code /v1/leases} unless set). */
    public volatile String rewritePath = "/v1/leases";

    /** Changes the JSON body of the rewritten answers, or null to pass them as they are. */
    public volatile @Nullable Consumer<ObjectNode> rewriteGrant;

    volatile @Nullable Runnable beforeGrantReturns;

    /**
     * Starts the pass-through.
     *
     * @param fake the fake behind it
     * @throws IOException if the server cannot start
     */
    public LeaseResponseRewriter(FakeControlPlane fake) throws IOException {
        this.fake = fake;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return pass(request);
            }
        });
        server.start();
    }

    /**
     * Returns the base URL to give the client.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return server.url("/").toString();
    }

    private MockResponse pass(RecordedRequest in) {
        String target = fake.baseUrl().replaceAll("/+$", "")
                + in.getUrl().encodedPath()
                + (in.getUrl().encodedQuery() != null ? "?" + in.getUrl().encodedQuery() : "");
        ByteString body = in.getBody();
        String method = in.getMethod();
        RequestBody rb = body != null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))
                ? RequestBody.create(body, MediaType.get("application/json"))
                : null;
        Request.Builder out = new Request.Builder().url(target).method(method, rb);
        in.getHeaders().forEach(h -> {
            String n = h.getFirst().toLowerCase(java.util.Locale.ROOT);
            if (!n.equals("host") && !n.equals("content-length") && !n.equals("accept-encoding")) {
                out.header(h.getFirst(), h.getSecond());
            }
        });
        try (Response r = forward.newCall(out.build()).execute()) {
            String text = r.body().string();
            boolean grant = method.equals("POST")
                    && in.getUrl().encodedPath().equals(rewritePath)
                    && r.code() >= 200
                    && r.code() < 300;
            if (grant) {
                Consumer<ObjectNode> rw = rewriteGrant;
                if (rw != null) {
                    ObjectNode o = (ObjectNode) JSON.readTree(text);
                    rw.accept(o);
                    text = JSON.writeValueAsString(o);
                }
                Runnable hook = beforeGrantReturns;
                if (hook != null) {
                    hook.run();
                }
            }
            MockResponse.Builder b = new MockResponse.Builder().code(r.code()).body(text);
            r.headers().forEach(h -> {
                String n = h.getFirst().toLowerCase(java.util.Locale.ROOT);
                if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection")) {
                    b.addHeader(h.getFirst(), h.getSecond());
                }
            });
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        forward.dispatcher().executorService().shutdown();
        forward.connectionPool().evictAll();
    }
}
