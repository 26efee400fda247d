package run.getstack.sdk.testkit;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Fault injection for the fake's HTTP front, per endpoint:
 *
 * <pre>{@code
 * fake.faults().on("POST", "/v1/passports/issue").failTimes(2, 503).withRetryAfter(Duration.ofSeconds(1));
 * fake.faults().on("GET", "/v1/credentials/*").disconnectDuringResponseBody().times(1);
 * fake.faults().on("POST", "/v1/passports/refresh").respondWith(401, "PASSPORT_REVOKED");
 * FaultRule gate = fake.faults().on("POST", "/v1/passports/refresh").hold(); // later: gate.release()
 * }</pre>
 *
 * <p>Rules are tried in registration order; the first active match applies. Path patterns: {@code *} or {@code
 * {name}} match one segment, {@code **} the rest. Thread-safe.
 */
public final class Faults {
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Clock clock;

    Faults(Clock clock) {
        this.clock = clock;
    }

    /**
     * Registers a rule for a method ({@code "*"} for any) and path pattern. It answers 503 until configured.
     *
     * @param method HTTP method or {@code *}
     * @param pathPattern e.g. {@code /v1/leases/*}/renew
     * @return the new rule, to configure fluently
     */
    public FaultRule on(String method, String pathPattern) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathPattern, "pathPattern");
        PathPattern.validate(pathPattern);
        FaultRule r = new FaultRule(method.toUpperCase(Locale.ROOT), pathPattern, clock);
        rules.add(r);
        return r;
    }

    /** Removes every rule, releasing any request a {@linkplain FaultRule#hold() hold} rule holds. */
    public void clear() {
        for (FaultRule r : rules) {
            r.release();
        }
        rules.clear();
    }

    /**
     * The registered rules.
     *
     * @return a snapshot
     */
    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    FaultRule.@Nullable Action claim(String method, String path) {
        for (FaultRule r : rules) {
            FaultRule.Action a = r.claim(method, path);
            if (a != null) {
                return a;
            }
        }
        return null;
    }
}
