package run.getstack.sdk.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.audit.internal.CanonicalJson;

/**
 * One thing the agent did, for the audit trail (docs/wire-protocol.md §8.5). Immutable: each method returns a new
 * event, so a partly built event can be shared and specialised.
 *
 * <pre>{@code
 * stack.audit().record(AuditEvent.action("tool.call").outcome(AuditOutcome.SUCCESS).detail("tool", "refund"));
 * }</pre>
 *
 * <p>The writer adds the event id (a random UUID), the agent id, the timestamp (the client's clock at {@code
 * record()}, unless {@link #timestamp(Instant)} set one), the passport (the agent's current passport when {@link
 * #passportJti(String)} is not set) and the chain fields. Bad input fails at once with {@link
 * IllegalArgumentException} naming the parameter. Never put a secret in an event: the detail is sent to STACK and
 * stored in plain text.
 */
public final class AuditEvent {
    /** The longest action: {@value} characters. */
    public static final int MAX_ACTION_LENGTH = 128;

    /** The most detail entries: {@value}. */
    public static final int MAX_DETAIL_ENTRIES = 32;

    /** The longest detail key: {@value} characters. */
    public static final int MAX_DETAIL_KEY_LENGTH = 128;

    /** The largest detail object: {@value} bytes of its compact UTF-8 JSON (the control plane's limit). */
    public static final int MAX_DETAIL_BYTES = 8192;

    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final Pattern JTI = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final String action;
    private final AuditOutcome outcome;
    private final @Nullable String passportJti;
    private final @Nullable Duration duration;
    private final Map<String, Object> detail;
    private final @Nullable Instant timestamp;
    private final boolean securityCritical;

    private AuditEvent(
            String action,
            AuditOutcome outcome,
            @Nullable String passportJti,
            @Nullable Duration duration,
            Map<String, Object> detail,
            @Nullable Instant timestamp,
            boolean securityCritical) {
        this.action = action;
        this.outcome = outcome;
        this.passportJti = passportJti;
        this.duration = duration;
        this.detail = detail;
        this.timestamp = timestamp;
        this.securityCritical = securityCritical;
    }

    /**
     * Starts an event with outcome {@link AuditOutcome#SUCCESS}.
     *
     * @param action dotted lower-case words of {@code [a-z0-9_]}, at most {@value #MAX_ACTION_LENGTH} characters
     *     (e.g. {@code tool.call})
     * @return the event
     */
    public static AuditEvent action(String action) {
        Objects.requireNonNull(action, "action");
        if (action.length() > MAX_ACTION_LENGTH || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("action: must be dotted lower-case words of [a-z0-9_], at most "
                    + MAX_ACTION_LENGTH + " characters");
        }
        return new AuditEvent(action, AuditOutcome.SUCCESS, null, null, Map.of(), null, false);
    }

    /**
     * Returns this event with another outcome.
     *
     * @param outcome the outcome
     * @return a new event
     */
    public AuditEvent outcome(AuditOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        return new AuditEvent(action, outcome, passportJti, duration, detail, timestamp, securityCritical);
    }

    /**
     * Returns this event under another passport than the agent's current one.
     *
     * @param jti the passport's {@code jti}, 1 to 128 characters of {@code [A-Za-z0-9_-]}
     * @return a new event
     */
    public AuditEvent passportJti(String jti) {
        Objects.requireNonNull(jti, "passportJti");
        if (!JTI.matcher(jti).matches()) {
            throw new IllegalArgumentException("passportJti: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return new AuditEvent(action, outcome, jti, duration, detail, timestamp, securityCritical);
    }

    /**
     * Returns this event with how long the action took (sent in whole milliseconds).
     *
     * @param duration zero or more
     * @return a new event
     */
    public AuditEvent duration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: must not be negative, was " + duration);
        }
        return new AuditEvent(action, outcome, passportJti, duration, detail, timestamp, securityCritical);
    }

    /**
     * Returns this event with when it happened (default: the client's clock at {@code record()}).
     *
     * @param timestamp at or after the Unix epoch
     * @return a new event
     */
    public AuditEvent timestamp(Instant timestamp) {
        Objects.requireNonNull(timestamp, "timestamp");
        if (timestamp.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("timestamp: must not be before the Unix epoch, was " + timestamp);
        }
        return new AuditEvent(action, outcome, passportJti, duration, detail, timestamp, securityCritical);
    }

    /**
     * Returns this event marked security-critical: {@code record()} returns only once it is forced to disk, whatever
     * the writer's {@link AuditDurability}.
     *
     * @return a new event
     */
    public AuditEvent securityCritical() {
        return new AuditEvent(action, outcome, passportJti, duration, detail, timestamp, true);
    }

    /**
     * Returns this event with a detail entry (replacing one with the same key). Never a secret.
     *
     * @param key 1 to {@value #MAX_DETAIL_KEY_LENGTH} characters
     * @param value the text
     * @return a new event
     * @throws IllegalArgumentException past {@value #MAX_DETAIL_ENTRIES} entries or {@value #MAX_DETAIL_BYTES} bytes
     */
    public AuditEvent detail(String key, String value) {
        return withDetail(key, Objects.requireNonNull(value, "value"));
    }

    /**
     * Returns this event with a numeric detail entry.
     *
     * @param key 1 to {@value #MAX_DETAIL_KEY_LENGTH} characters
     * @param value the number
     * @return a new event
     */
    public AuditEvent detail(String key, long value) {
        return withDetail(key, value);
    }

    /**
     * Returns this event with a boolean detail entry.
     *
     * @param key 1 to {@value #MAX_DETAIL_KEY_LENGTH} characters
     * @param value the flag
     * @return a new event
     */
    public AuditEvent detail(String key, boolean value) {
        return withDetail(key, value);
    }

    private AuditEvent withDetail(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_DETAIL_KEY_LENGTH) {
            throw new IllegalArgumentException("detail key: must be 1 to " + MAX_DETAIL_KEY_LENGTH + " characters");
        }
        Map<String, Object> d = new LinkedHashMap<>(detail);
        d.put(key, value);
        if (d.size() > MAX_DETAIL_ENTRIES) {
            throw new IllegalArgumentException("detail: at most " + MAX_DETAIL_ENTRIES + " entries");
        }
        int bytes = detailBytes(d);
        if (bytes > MAX_DETAIL_BYTES) {
            throw new IllegalArgumentException(
                    "detail: at most " + MAX_DETAIL_BYTES + " bytes of compact JSON, would be " + bytes);
        }
        return new AuditEvent(
                action, outcome, passportJti, duration, Collections.unmodifiableMap(d), timestamp, securityCritical);
    }

    private static int detailBytes(Map<String, Object> d) {
        return new CanonicalJson().detailObject(d).length();
    }

    /**
     * Returns the action.
     *
     * @return the dotted action
     */
    public String action() {
        return action;
    }

    /**
     * Returns the outcome.
     *
     * @return the outcome
     */
    public AuditOutcome outcome() {
        return outcome;
    }

    /**
     * Returns the passport set with {@link #passportJti(String)}.
     *
     * @return the jti, if set
     */
    public Optional<String> passportJti() {
        return Optional.ofNullable(passportJti);
    }

    /**
     * Returns the duration, if set.
     *
     * @return the duration
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * Returns the detail entries in insertion order (values are {@link String}, {@link Long} or {@link Boolean}).
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> detail() {
        return detail;
    }

    /**
     * Returns the timestamp set with {@link #timestamp(Instant)}.
     *
     * @return the timestamp, if set
     */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /**
     * Tells whether {@code record()} waits until the event is on disk.
     *
     * @return true if marked with {@link #securityCritical()}
     */
    public boolean isSecurityCritical() {
        return securityCritical;
    }

    /**
     * Shows the event (the detail keys only, not their values).
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "AuditEvent{action=" + action + ", outcome=" + outcome + ", passportJti=" + passportJti
                + ", duration=" + duration + ", detailKeys=" + detail.keySet() + ", securityCritical="
                + securityCritical + '}';
    }
}
