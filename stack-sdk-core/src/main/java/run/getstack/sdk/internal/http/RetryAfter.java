package run.getstack.sdk.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Parses {@code Retry-After} (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Values
 * are capped at {@link #MAX}; a date in the past gives zero; anything unparsable gives null (ignored).
 */
public final class RetryAfter {
    /** The longest wait taken from a {@code Retry-After}: one day. */
    public static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {}

    /**
     * Parses a header value.
     *
     * @param value the header value, or null
     * @param now the current time (for HTTP-dates)
     * @return the delay, or null if absent or unparsable
     */
    public static @Nullable Duration parse(@Nullable String value, Instant now) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 64) {
            return null;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 9) {
                return MAX;
            }
            Duration d = Duration.ofSeconds(Long.parseLong(v));
            return d.compareTo(MAX) > 0 ? MAX : d;
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            if (d.isNegative()) {
                return Duration.ZERO;
            }
            return d.compareTo(MAX) > 0 ? MAX : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
