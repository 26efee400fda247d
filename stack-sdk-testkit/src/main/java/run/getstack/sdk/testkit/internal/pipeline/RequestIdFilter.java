package run.getstack.sdk.testkit.internal.pipeline;

import java.util.regex.Pattern;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Wire;

/** Internal, not for public use. Wire protocol §1.7: the caller's {@code X-Request-Id} when well-formed, else a new one. */
public final class RequestIdFilter implements Filter {
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        EngineRequest r = exchange.request();
        String sent = r.header("x-request-id");
        String id = sent != null && REQUEST_ID.matcher(sent).matches() ? sent : Wire.newId("req_", 24);
        exchange.request(new EngineRequest(r.method(), r.path(), r.query(), r.headers(), r.body(), id));
        return next.proceed(exchange);
    }
}
