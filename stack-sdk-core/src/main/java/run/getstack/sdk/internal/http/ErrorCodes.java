package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;

/**
 * Internal, not for public use. The one registry of STACK's error codes that have an exception type of their own
 * (wire protocol §1.6): each capability contributes a table from its codes (or, where STACK sends a generic code
 * such as {@code FORBIDDEN}, from a {@code details.reason} prefix) to exception factories, and {@link ErrorMapper}
 * asks the registry after it has mapped the status. A code may be registered once: a second registration, by the
 * same or another capability, fails at construction, so no two capabilities can map one code differently and the
 * order of registration does not matter.
 *
 * <p>Lookup: a reason prefix that the error's reason starts with is tried first (at most one can match, overlapping
 * prefixes are refused), then the error's code. A factory gets the exception of the status mapping and the envelope's
 * {@code details} (bounded JSON from the server: read only what the code defines, validate it) and returns the typed
 * exception, or null to keep the status mapping (for example, a code that has a type only under some statuses).
 *
 * <p>Immutable and safe to share.
 */
public final class ErrorCodes {
    /** Builds the typed exception for one error code or reason. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Returns the typed exception for this error, or null to keep the status mapping.
         *
         * @param e the exception the status mapping produced (its message is already scrubbed and bounded)
         * @param details {@code error.details} if it is an object, else null
         * @return the typed exception, or null
         */
        @Nullable
        StackException create(StackApiException e, @Nullable JsonNode details);
    }

    /**
     * The constructor every {@link StackApiException} subclass of a code has: message, status, code, request id,
     * reason, {@code Retry-After}, cause.
     */
    @FunctionalInterface
    public interface ApiExceptionConstructor {
        /**
         * Creates the exception.
         *
         * @param message the message
         * @param httpStatus the HTTP status
         * @param errorCode STACK's error code
         * @param requestId the request id
         * @param reason {@code details.reason}
         * @param retryAfter the parsed {@code Retry-After}
         * @param cause the cause
         * @return the exception
         */
        StackException create(
                String message,
                int httpStatus,
                @Nullable String errorCode,
                @Nullable String requestId,
                @Nullable String reason,
                @Nullable Duration retryAfter,
                @Nullable Throwable cause);
    }

    /**
     * Returns a factory for a code whose type needs nothing from {@code details}: the exception gets the status
     * mapping's fields and its message after a prefix.
     *
     * @param messagePrefix put before the server's (scrubbed) message, may be empty
     * @param type the exception's constructor, such as {@code StackPassportRevokedException::new}
     * @return the factory
     */
    public static Factory typed(String messagePrefix, ApiExceptionConstructor type) {
        Objects.requireNonNull(messagePrefix, "messagePrefix");
        Objects.requireNonNull(type, "type");
        return (e, d) -> type.create(
                messagePrefix + e.detailMessage(),
                e.httpStatus(),
                e.errorCode(),
                e.requestId(),
                e.reason(),
                e.retryAfter().orElse(null),
                null);
    }

    private record Entry(String owner, Factory factory) {}

    private static final ErrorCodes TRANSPORT_ONLY = builder().build();

    private final Map<String, Entry> byCode;
    private final Map<String, Entry> byReasonPrefix;

    private ErrorCodes(Map<String, Entry> byCode, Map<String, Entry> byReasonPrefix) {
        this.byCode = Collections.unmodifiableMap(new LinkedHashMap<>(byCode));
        this.byReasonPrefix = Collections.unmodifiableMap(new LinkedHashMap<>(byReasonPrefix));
    }

    /**
     * Returns a builder that already holds the codes the transport types itself ({@link ErrorMapper#TRANSPORT}:
     * governance approvals, the controls feature, the wallet, rate limits).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder().codes(ErrorMapper.TRANSPORT, ErrorMapper.transportCodes());
    }

    /**
     * Returns the registry of the transport's own codes only: for a transport that serves no capability.
     *
     * @return the registry
     */
    public static ErrorCodes transportOnly() {
        return TRANSPORT_ONLY;
    }

    /**
     * Returns the registered codes.
     *
     * @return the codes, unmodifiable
     */
    public Set<String> codes() {
        return byCode.keySet();
    }

    /**
     * Returns the registered reason prefixes.
     *
     * @return the prefixes, unmodifiable
     */
    public Set<String> reasonPrefixes() {
        return byReasonPrefix.keySet();
    }

    /**
     * Returns who registered a code.
     *
     * @param code the error code
     * @return the owner named at registration, or null if the code is not registered
     */
    public @Nullable String owner(String code) {
        Entry e = byCode.get(code);
        return e == null ? null : e.owner();
    }

    /**
     * Returns the typed exception for an error, or null to keep the status mapping.
     *
     * @param e the exception the status mapping produced
     * @param details {@code error.details} if it is an object, else null
     * @return the typed exception, or null
     */
    @Nullable
    StackException map(StackApiException e, @Nullable JsonNode details) {
        String reason = e.reason();
        if (reason != null) {
            for (Map.Entry<String, Entry> p : byReasonPrefix.entrySet()) {
                if (reason.startsWith(p.getKey())) {
                    StackException typed = p.getValue().factory().create(e, details);
                    if (typed != null) {
                        return typed;
                    }
                    break;
                }
            }
        }
        String code = e.errorCode();
        Entry entry = code == null ? null : byCode.get(code);
        return entry == null ? null : entry.factory().create(e, details);
    }

    /** Collects the capabilities' tables; not thread-safe (build one registry, then share it). */
    public static final class Builder {
        private final Map<String, Entry> byCode = new LinkedHashMap<>();
        private final Map<String, Entry> byReasonPrefix = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Registers a capability's error codes.
         *
         * @param owner the capability, named in the error about a duplicate
         * @param table its codes and their factories
         * @return this builder
         * @throws IllegalArgumentException if a code is already registered, or is not a valid code
         */
        public Builder codes(String owner, Map<String, ? extends Factory> table) {
            Objects.requireNonNull(owner, "owner");
            for (Map.Entry<String, ? extends Factory> c : table.entrySet()) {
                String code = Objects.requireNonNull(c.getKey(), "code");
                if (!ErrorMapper.CODE.matcher(code).matches()) {
                    throw new IllegalArgumentException(
                            "code: '" + code + "' of " + owner + " is not an error code ([A-Za-z0-9_.:-]{1,64})");
                }
                Entry before = byCode.putIfAbsent(code, new Entry(owner, Objects.requireNonNull(c.getValue(), code)));
                if (before != null) {
                    throw new IllegalArgumentException("code: error code " + code + " is registered twice, by "
                            + before.owner() + " and by " + owner + "; one code has one exception type");
                }
            }
            return this;
        }

        /**
         * Registers a capability's reason prefixes: errors whose {@code details.reason} starts with one of them,
         * whatever their code.
         *
         * @param owner the capability, named in the error about a duplicate
         * @param table its prefixes and their factories
         * @return this builder
         * @throws IllegalArgumentException if a prefix is empty or overlaps one already registered (either is a
         *     prefix of the other)
         */
        public Builder reasonPrefixes(String owner, Map<String, ? extends Factory> table) {
            Objects.requireNonNull(owner, "owner");
            for (Map.Entry<String, ? extends Factory> r : table.entrySet()) {
                String prefix = Objects.requireNonNull(r.getKey(), "prefix");
                if (prefix.isEmpty()) {
                    throw new IllegalArgumentException("prefix: the reason prefix of " + owner + " is empty");
                }
                for (Map.Entry<String, Entry> p : byReasonPrefix.entrySet()) {
                    if (p.getKey().startsWith(prefix) || prefix.startsWith(p.getKey())) {
                        throw new IllegalArgumentException("prefix: reason prefix " + prefix + " of " + owner
                                + " overlaps " + p.getKey() + " of "
                                + p.getValue().owner()
                                + "; one reason has one exception type");
                    }
                }
                byReasonPrefix.put(prefix, new Entry(owner, Objects.requireNonNull(r.getValue(), prefix)));
            }
            return this;
        }

        /**
         * Builds the registry.
         *
         * @return the immutable registry
         */
        public ErrorCodes build() {
            return new ErrorCodes(byCode, byReasonPrefix);
        }
    }

    /**
     * Lists the registrations as {@code owner: code} lines, for diagnostics.
     *
     * @return one line a code or prefix
     */
    @Override
    public String toString() {
        List<String> out = new ArrayList<>();
        byReasonPrefix.forEach((p, e) -> out.add(e.owner() + ": reason " + p + "*"));
        byCode.forEach((c, e) -> out.add(e.owner() + ": " + c));
        return "ErrorCodes" + out;
    }
}
