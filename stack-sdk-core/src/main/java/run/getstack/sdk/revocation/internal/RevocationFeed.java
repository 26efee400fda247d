package run.getstack.sdk.revocation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * Internal, not for public use. One request of the revocation feed ({@code GET /v1/revocations?since=&wait=}, wire
 * protocol §7.2) on the client's one transport, with its own timeout ({@code wait} + 5 s) so the client's call
 * timeout and retry budget do not cut a long poll; and applying a page to the {@link PassportGuard}, the one record
 * of passport states. The follower loop (scheduling, backoff, re-sync) builds on this. Thread-safe (stateless).
 */
public final class RevocationFeed {
    /** Longest {@code wait} the server accepts. */
    public static final int MAX_WAIT_SECONDS = 30;

    /** Most events the server returns in one page (§7.2); a longer page is refused as malformed. */
    static final int MAX_EVENTS = 500;

    /** Most jtis one event may name (bounded untrusted input). */
    static final int MAX_JTIS_PER_EVENT = 10_000;

    private static final Duration MARGIN = Duration.ofSeconds(5);

    /**
     * Internal, not for public use. One revocation event.
     *
     * @param type {@code single}, {@code bulk_agent}, {@code bulk_session}, {@code bulk_operator} or
     *     {@code bulk_claim}
     * @param jtis every jti revoked by the event, cascades included
     * @param reason the server's reason
     */
    public record Event(String type, List<String> jtis, String reason) {
        /** Copies the list. */
        public Event {
            Objects.requireNonNull(type, "type");
            jtis = List.copyOf(jtis);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Internal, not for public use. One answer of the feed.
     *
     * @param events the events, oldest first (empty for a sync point or a wait that ended without one)
     * @param cursor where to resume
     */
    public record Page(List<Event> events, String cursor) {
        /** Copies the list. */
        public Page {
            events = List.copyOf(events);
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** Internal, not for public use. The server no longer knows the cursor: re-sync (§7.2). */
    public static final class CursorExpiredException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CursorExpiredException(StackException cause) {
            super("revocation cursor expired; re-sync from the head cursor", cause);
        }
    }

    private final Transport transport;
    private final Clock clock;

    /**
     * Creates the feed.
     *
     * @param transport the client's transport
     * @param clock the client's clock
     */
    public RevocationFeed(Transport transport, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Polls once.
     *
     * @param since the cursor to resume from, or null for the head cursor (answered at once, no history)
     * @param waitSeconds how long the server may hold the request, 0 to 30
     * @return the page
     * @throws CursorExpiredException on 410 {@code CURSOR_EXPIRED}
     * @throws StackException on any other failure (the caller backs off)
     */
    public Page poll(@Nullable String since, int waitSeconds) {
        return poll(since, waitSeconds, null);
    }

    /**
     * Polls once, handing the request's cancel action to {@code onCall} (a parked long poll is not woken by an
     * interrupt; the follower cancels it on close).
     *
     * @param since the cursor to resume from, or null for the head cursor
     * @param waitSeconds how long the server may hold the request, 0 to 30
     * @param onCall receives the cancel action of each attempt, or null
     * @return the page
     * @throws CursorExpiredException on 410 {@code CURSOR_EXPIRED}
     * @throws StackException on any other failure
     */
    public Page poll(@Nullable String since, int waitSeconds, @Nullable Consumer<Runnable> onCall) {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("waitSeconds: must be 0 to " + MAX_WAIT_SECONDS + ": " + waitSeconds);
        }
        ApiRequest.Builder b = ApiRequest.get("/v1/revocations")
                .query("since", since)
                .query("wait", Integer.toString(waitSeconds))
                .timeout(Duration.ofSeconds(waitSeconds).plus(MARGIN));
        if (onCall != null) {
            b.onCall(onCall);
        }
        ApiRequest request = b.build();
        try {
            return transport.execute(request, r -> parse(r.requireObject()));
        } catch (StackException e) {
            if (e.httpStatus() == 410 && "CURSOR_EXPIRED".equals(e.errorCode())) {
                throw new CursorExpiredException(e);
            }
            throw e;
        }
    }

    private static Page parse(JsonNode o) {
        String cursor = JsonFields.text(o, "cursor");
        JsonNode array = JsonFields.array(o, "events");
        if (array.size() > MAX_EVENTS) {
            throw new ResponseShapeException(
                    "revocation page has " + array.size() + " events, more than " + MAX_EVENTS);
        }
        List<Event> events = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            List<String> jtis = JsonFields.optTextList(e, "jtis");
            if (jtis.size() > MAX_JTIS_PER_EVENT) {
                throw new ResponseShapeException("revocation event names more than " + MAX_JTIS_PER_EVENT + " jtis");
            }
            events.add(new Event(JsonFields.text(e, "type"), jtis, JsonFields.text(e, "reason")));
        }
        return new Page(events, cursor);
    }

    /**
     * Internal, not for public use. What the control plane says about one passport.
     *
     * @param revoked whether it was revoked
     * @param checkedOut whether it was checked out (by its holder: the holder's own checkout records it)
     * @param gone whether it expired (no longer worth following)
     * @param reason the server's reason when revoked, else its state
     */
    public record Status(boolean revoked, boolean checkedOut, boolean gone, String reason) {
        /** Checks the reason. */
        public Status {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Asks the status of one passport ({@code GET /v1/revocations/{jti}}, §7.1).
     *
     * @param jti the passport's id
     * @return its status
     * @throws StackException on failure (404 for an unknown jti, or where the extension is absent)
     */
    public Status status(String jti) {
        ApiRequest request =
                ApiRequest.get("/v1/revocations/" + Ids.require("jti", jti)).build();
        return transport.execute(request, r -> {
            JsonNode o = r.requireObject();
            boolean revoked = JsonFields.bool(o, "revoked");
            String state = o.has("state") ? JsonFields.text(o, "state") : (revoked ? "revoked" : "active");
            boolean checkedOut = "checked_out".equals(state);
            String reason = revoked && o.has("reason") ? JsonFields.text(o, "reason") : state;
            return new Status(revoked && !checkedOut, checkedOut, "expired".equals(state), reason);
        });
    }

    /**
     * Asks STACK's documented verify endpoint about one passport ({@code POST /v1/passports/verify}, §3.5), which
     * always checks revocation live: the fallback where the feed is absent (hosted STACK).
     *
     * @param token the passport's token
     * @return its status
     * @throws StackException on failure
     */
    public Status verify(Secret token) {
        ObjectNode body = Json.object().put("token", token.revealPlaintext());
        ApiRequest request =
                ApiRequest.post("/v1/passports/verify", body).unauthenticated().build();
        return transport.execute(request, r -> {
            JsonNode o = r.requireObject();
            if (JsonFields.bool(o, "valid")) {
                return new Status(false, false, false, "active");
            }
            String reason = o.has("reason") ? JsonFields.text(o, "reason") : "invalid";
            boolean revoked = "revoked".equals(reason);
            boolean checkedOut = "checked_out".equals(reason);
            return new Status(revoked, checkedOut, !revoked && !checkedOut, reason);
        });
    }

    /**
     * Records every jti the page revokes in the guard (which tells its listeners once per jti: the agent's passport
     * holder stops serving it, leases under it end).
     *
     * @param page the page
     * @param guard the client's passport guard
     */
    public void apply(Page page, PassportGuard guard) {
        Instant forget = clock.instant().plus(PassportRequest.MAX_TTL).plus(Duration.ofHours(24));
        for (Event e : page.events()) {
            for (String jti : e.jtis()) {
                guard.markRevoked(jti, forget, "revocation feed: " + e.type(), "revocation." + e.type());
            }
        }
    }
}
