package run.getstack.sdk.testkit;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.pipeline.Exchange;
import run.getstack.sdk.testkit.internal.pipeline.Filter;

/**
 * Claims a matching fault rule (by method and raw path, before routing): a status fault answers at once; the others
 * are attached to the exchange for the HTTP front to apply to the socket or the bytes.
 */
final class FaultFilter implements Filter {
    private final Faults faults;

    FaultFilter(Faults faults) {
        this.faults = faults;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        JournalFilter.RawTarget target = exchange.attribute(JournalFilter.RawTarget.class);
        String path = target == null ? exchange.request().path() : target.path();
        FaultRule.Action fault = faults.claim(exchange.request().method(), path);
        if (fault == null) {
            return next.proceed(exchange);
        }
        exchange.attribute(FaultRule.Action.class, fault);
        if (fault.kind() == FaultRule.Kind.DISCONNECT_BEFORE_RESPONSE) {
            return new EngineResponse(0, null, new java.util.LinkedHashMap<>());
        }
        if (fault.kind() == FaultRule.Kind.STATUS) {
            return statusFault(fault, exchange.request().requestId());
        }
        if (fault.kind() == FaultRule.Kind.HOLD && !fault.rule().awaitRelease()) {
            return EngineResponse.json(
                    503,
                    ApiError.envelope(
                            "SERVICE_UNAVAILABLE",
                            "Injected fault: a held request was not released",
                            null,
                            exchange.request().requestId()));
        }
        EngineResponse response = next.proceed(exchange);
        if (fault.kind() == FaultRule.Kind.LATE_ARRIVAL) {
            fault.rule().age(fault.delay());
        }
        return response;
    }

    private static EngineResponse statusFault(FaultRule.Action fault, String requestId) {
        int status = fault.status();
        String code = fault.code() != null ? fault.code() : defaultCode(status);
        EngineResponse r = EngineResponse.json(
                status, ApiError.envelope(code, "Injected fault: " + status + " " + code, null, requestId));
        if (fault.retryAfter() != null) {
            r.headers().put("Retry-After", Long.toString(fault.retryAfter().toSeconds()));
        } else if (status == 429) {
            r.headers().put("Retry-After", "1");
        }
        return r;
    }

    static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "INVALID_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 409 -> "CONFLICT";
            case 410 -> "CURSOR_EXPIRED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 429 -> "RATE_LIMITED";
            case 502 -> "BAD_GATEWAY";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 504 -> "GATEWAY_TIMEOUT";
            default -> status >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST";
        };
    }
}
