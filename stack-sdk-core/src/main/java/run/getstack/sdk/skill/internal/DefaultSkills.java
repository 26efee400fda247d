package run.getstack.sdk.skill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.paging.PageFetcher;
import run.getstack.sdk.internal.paging.Paginator;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.skill.InvocationStatus;
import run.getstack.sdk.skill.Skill;
import run.getstack.sdk.skill.SkillError;
import run.getstack.sdk.skill.SkillInvocation;
import run.getstack.sdk.skill.Skills;
import run.getstack.sdk.skill.StackSkillTimeoutException;

/**
 * Internal, not for public use. {@link Skills} over the client's transport (wire protocol §10.3). A wait reads the
 * invocation, then sleeps through the client's {@link Sleeper} until the next read or the deadline on the client's
 * clock, whichever is first: no busy loop, no lock held while it waits.
 */
public final class DefaultSkills implements Skills {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** Largest input sent, as compact JSON (the fake's body limit is 1 MiB). */
    static final int MAX_INPUT_BYTES = 1_000_000;

    /** Most levels of nesting copied out of an output. */
    private static final int MAX_DEPTH = 64;

    private final Transport transport;
    private final Clock clock;
    private final Sleeper sleeper;
    private final @Nullable Supplier<Passport> passport;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param clock the client's clock
     * @param sleeper how waits sleep (interruptible)
     * @param passport the agent's current passport, or null when the client acts for no agent
     */
    public DefaultSkills(Transport transport, Clock clock, Sleeper sleeper, @Nullable Supplier<Passport> passport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.passport = passport;
    }

    @Override
    public PagedIterable<Skill> list() {
        return list(DEFAULT_PAGE_SIZE);
    }

    @Override
    public PagedIterable<Skill> list(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize: must be 1 to " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        return Paginator.of(token -> {
            int page = token == null ? 1 : Integer.parseInt(token);
            return transport.execute(
                    ApiRequest.get("/v1/skills")
                            .query("page", Integer.toString(page))
                            .query("limit", Integer.toString(pageSize))
                            .build(),
                    r -> page(r.requireObject(), page, pageSize));
        });
    }

    private static PageFetcher.Page<Skill> page(JsonNode o, int page, int pageSize) {
        JsonNode arr = JsonFields.array(o, "skills");
        if (arr.size() > pageSize) {
            throw new ResponseShapeException("field 'skills' holds more than the page size asked for");
        }
        List<Skill> items = new ArrayList<>(arr.size());
        for (JsonNode s : arr) {
            items.add(skill(s));
        }
        JsonNode echoed = o.get("page");
        if (echoed == null || echoed.isNull()) {
            return PageFetcher.Page.last(items); // a server that does not page sent the whole list
        }
        if (!echoed.isIntegralNumber() || echoed.asLong() != page) {
            throw new ResponseShapeException("field 'page' does not echo the page asked for");
        }
        boolean more = o.has("has_more") ? JsonFields.bool(o, "has_more") : items.size() == pageSize;
        return new PageFetcher.Page<>(items, more ? Integer.toString(page + 1) : null);
    }

    @Override
    public Skill get(String skillId) {
        id(skillId, "skill_id");
        return transport.execute(ApiRequest.get("/v1/skills/" + skillId).build(), r -> skill(r.requireObject()));
    }

    @Override
    public SkillInvocation invoke(String skillId, Map<String, ?> input) {
        return send(skillId, input, null);
    }

    @Override
    public SkillInvocation invoke(String skillId, Map<String, ?> input, String approvalId) {
        id(approvalId, "approvalId");
        return send(skillId, input, approvalId);
    }

    private SkillInvocation send(String skillId, Map<String, ?> input, @Nullable String approvalId) {
        id(skillId, "skill_id");
        Objects.requireNonNull(input, "input");
        ObjectNode body = Json.object();
        JsonNode in;
        try {
            in = Json.mapper().valueToTree(input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "input: not representable as JSON (" + e.getClass().getSimpleName() + ")");
        }
        body.set("input", in);
        if (approvalId != null) {
            body.put("approval_id", approvalId);
        }
        if (Json.write(body).length > MAX_INPUT_BYTES) {
            throw new IllegalArgumentException("input: larger than " + MAX_INPUT_BYTES + " bytes as JSON");
        }
        ApiRequest.Builder request = ApiRequest.post("/v1/skills/" + skillId + "/invoke", body)
                .idempotencyKey("skill_invoke_" + UUID.randomUUID());
        Supplier<Passport> current = passport;
        if (current != null) {
            request.passportToken(current.get().token());
        }
        return transport.execute(request.build(), r -> invocation(r.requireObject()));
    }

    @Override
    public SkillInvocation invocation(String invocationId) {
        id(invocationId, "invocation_id");
        return transport.execute(
                ApiRequest.get("/v1/skills/invocations/" + invocationId).build(), r -> invocation(r.requireObject()));
    }

    @Override
    public SkillInvocation awaitResult(String invocationId, Duration timeout, Duration pollInterval) {
        id(invocationId, "invocation_id");
        checkTimeout(timeout);
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0 || pollInterval.compareTo(timeout) > 0) {
            throw new IllegalArgumentException(
                    "pollInterval: must be " + MIN_POLL_INTERVAL + " to the timeout, was " + pollInterval);
        }
        Instant deadline = clock.instant().plus(timeout);
        return waitFor(invocation(invocationId), deadline, pollInterval, timeout);
    }

    @Override
    public SkillInvocation invokeAndWait(String skillId, Map<String, ?> input, Duration timeout) {
        return invokeAndWait(skillId, input, timeout, null);
    }

    @Override
    public SkillInvocation invokeAndWait(String skillId, Map<String, ?> input, String approvalId, Duration timeout) {
        id(approvalId, "approvalId");
        return invokeAndWait(skillId, input, timeout, approvalId);
    }

    private SkillInvocation invokeAndWait(
            String skillId, Map<String, ?> input, Duration timeout, @Nullable String approvalId) {
        checkTimeout(timeout);
        Instant deadline = clock.instant().plus(timeout);
        SkillInvocation first = send(skillId, input, approvalId);
        Duration interval = DEFAULT_POLL_INTERVAL.compareTo(timeout) < 0 ? DEFAULT_POLL_INTERVAL : timeout;
        return waitFor(first, deadline, interval, timeout);
    }

    private SkillInvocation waitFor(SkillInvocation first, Instant deadline, Duration interval, Duration timeout) {
        SkillInvocation current = first;
        while (!current.isDone()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new StackSkillTimeoutException(
                        "skill invocation " + current.invocationId() + " still " + current.status() + " after "
                                + timeout,
                        current.invocationId(),
                        current.status(),
                        null);
            }
            try {
                sleeper.sleep(interval.compareTo(left) < 0 ? interval : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackInterruptedException(
                        "interrupted while waiting for skill invocation " + current.invocationId(), null, e);
            }
            current = invocation(current.invocationId());
        }
        return current;
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "timeout: must be positive and at most " + MAX_TIMEOUT + ", was " + timeout);
        }
    }

    private static Skill skill(JsonNode s) {
        if (!s.isObject()) {
            throw new ResponseShapeException("a skill is not an object");
        }
        long trust = JsonFields.optInteger(s, "required_trust_level", 0);
        if (trust < 0 || trust > 3) {
            throw new ResponseShapeException("field 'required_trust_level' is not 0 to 3");
        }
        long price = JsonFields.optInteger(s, "price_cents", 0);
        if (price < 0) {
            throw new ResponseShapeException("field 'price_cents' is negative");
        }
        return new Skill(
                JsonFields.text(s, "id"), JsonFields.text(s, "name"), JsonFields.optText(s, "description"), price, (int)
                        trust);
    }

    private static SkillInvocation invocation(JsonNode o) {
        InvocationStatus status = InvocationStatus.fromWire(JsonFields.text(o, "status"));
        JsonNode error = o.get("error");
        SkillError err = null;
        if (error != null && error.isObject()) {
            String code = ErrorMapper.identifier(JsonFields.optText(error, "code"), ErrorMapper.CODE);
            String message = JsonFields.optText(error, "message");
            err = new SkillError(
                    code == null ? "UNKNOWN" : code, message == null ? "(no message)" : ErrorMapper.excerpt(message));
        } else if (error != null && !error.isNull()) {
            throw new ResponseShapeException("field 'error' is not an object");
        }
        JsonNode output = o.get("output");
        return new SkillInvocation(
                serverId(o, "invocation_id"),
                serverId(o, "skill_id"),
                status,
                output == null || output.isNull() ? null : freeze(output, 0),
                err,
                JsonFields.instant(o, "created_at"),
                JsonFields.optInstant(o, "completed_at"));
    }

    /** An id the server names, checked before it builds a path or reaches a message. */
    private static String serverId(JsonNode o, String field) {
        String v = JsonFields.text(o, field);
        if (!ID.matcher(v).matches()) {
            throw new ResponseShapeException("field '" + field + "' is not an id");
        }
        return v;
    }

    /** Copies a JSON value into unmodifiable Java values. */
    private static @Nullable Object freeze(JsonNode n, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ResponseShapeException("the output is nested more than " + MAX_DEPTH + " levels");
        }
        if (n.isObject()) {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                m.put(e.getKey(), freeze(e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(m);
        }
        if (n.isArray()) {
            List<@Nullable Object> l = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                l.add(freeze(e, depth + 1));
            }
            return Collections.unmodifiableList(l);
        }
        if (n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        return n.decimalValue();
    }

    private static void id(String value, String field) {
        Objects.requireNonNull(value, field);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
    }
}
