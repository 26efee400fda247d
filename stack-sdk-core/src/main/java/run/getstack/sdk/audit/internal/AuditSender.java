package run.getstack.sdk.audit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.audit.AuditDeliveryState;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. Delivers the spool to {@code POST /v1/audit/events} in chain order: reads up to a
 * batch of unanswered records, sends them as one body of the spooled bytes (through the client's transport, with an
 * idempotency key, so its retry policy applies to each send), and acknowledges in the spool every record the
 * response answers (accepted, duplicate, or rejected with a code), up to the first one it does not name. A failed
 * send is tried again after a full-jitter backoff; event ids make every resend idempotent. A 404 or 405 means the
 * control plane has no ingest endpoint (hosted STACK): delivery stops for the client's lifetime and the spool keeps
 * everything.
 *
 * <p>Runs as tasks on the client's one scheduler (a send may block on the network; the writer's own thread never
 * does), one at a time.
 */
final class AuditSender {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSender.class);
    private static final String PATH = "/v1/audit/events";
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final byte[] OPEN = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

    private enum Trigger {
        FULL,
        TIMER,
        RETRY,
        FLUSH
    }

    private final DefaultAuditWriter w;
    private final Spool spool;
    private final Transport transport;
    private final TaskScheduler scheduler;
    private final int maxEvents;
    private final int maxBytes;
    private final Duration batchDelay;
    private final long baseMs;
    private final long capMs;
    private final DoubleSupplier random;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private TaskScheduler.@Nullable Cancellable scheduled;
    private @Nullable Trigger scheduledTrigger;
    private boolean running;
    private @Nullable Trigger again;
    private volatile boolean backingOff;
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private boolean stopped;

    AuditSender(
            DefaultAuditWriter w,
            Spool spool,
            Transport transport,
            TaskScheduler scheduler,
            int maxEvents,
            int maxBytes,
            Duration batchDelay,
            Duration retryBase,
            Duration retryMax,
            DoubleSupplier random) {
        this.w = w;
        this.spool = spool;
        this.transport = transport;
        this.scheduler = scheduler;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes - OPEN.length - CLOSE.length;
        this.batchDelay = batchDelay;
        this.baseMs = retryBase.toMillis();
        this.capMs = retryMax.toMillis();
        this.random = random;
    }

    /** The worker wrote events: send now if a full batch waits (unless backing off), else within the batch delay. */
    void onWritten() {
        long unsent = spool.readableSeq() - spool.ackedSeq();
        request(unsent >= maxEvents ? Trigger.FULL : Trigger.TIMER);
    }

    /** A flush or close wants everything sent now, backoff or not. */
    void flushNow() {
        request(Trigger.FLUSH);
    }

    /** Events left by an earlier process wait in the spool: deliver them now. */
    void start() {
        if (spool.readableSeq() > spool.ackedSeq()) {
            request(Trigger.FULL);
        }
    }

    private void request(Trigger t) {
        lock.lock();
        try {
            if (stopped || w.state() == AuditDeliveryState.NOT_SUPPORTED) {
                return;
            }
            if (running) {
                if (again == null || rank(t) > rank(again)) {
                    again = t;
                }
                return;
            }
            TaskScheduler.Cancellable s = scheduled;
            Trigger st = scheduledTrigger;
            if (s != null && !s.isDone() && st != null) {
                boolean upgrade = (t == Trigger.FLUSH && st != Trigger.FLUSH)
                        || (t == Trigger.FULL && st == Trigger.TIMER && !backingOff);
                if (!upgrade) {
                    return;
                }
                s.cancel();
            }
            Duration delay = t == Trigger.TIMER ? batchDelay : Duration.ZERO;
            if (t == Trigger.FULL && backingOff) {
                return;
            }
            schedule(t, delay);
        } finally {
            lock.unlock();
        }
    }

    private static int rank(Trigger t) {
        return switch (t) {
            case TIMER -> 0;
            case FULL -> 1;
            case RETRY -> 2;
            case FLUSH -> 3;
        };
    }

    private void schedule(Trigger t, Duration delay) {
        try {
            scheduledTrigger = t;
            scheduled = scheduler.schedule("stack-audit-send", delay, () -> run(t));
        } catch (IllegalStateException e) {
            // the client's scheduler is closed: the spool keeps the events for the next writer
            stopped = true;
        }
    }

    private void run(Trigger trigger) {
        lock.lock();
        try {
            if (stopped || running) {
                return;
            }
            running = true;
            scheduled = null;
            scheduledTrigger = null;
        } finally {
            lock.unlock();
        }
        Trigger next = null;
        try {
            next = deliver(trigger);
        } finally {
            lock.lock();
            try {
                running = false;
                Trigger a = again;
                again = null;
                if (!stopped) {
                    if (next == Trigger.RETRY) {
                        backingOff = true;
                        // a flush that arrived during the failed send waits for this retry
                        schedule(Trigger.RETRY, backoff());
                    } else if (a != null) {
                        request(a);
                    } else if (next == Trigger.TIMER) {
                        schedule(Trigger.TIMER, batchDelay);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private Duration backoff() {
        int n = Math.max(1, failures.get());
        long upper = n >= 31 ? capMs : Math.min(capMs, baseMs << Math.min(n - 1, 30));
        double r = random.getAsDouble();
        if (!(r >= 0.0) || r >= 1.0) {
            r = 0.0;
        }
        return Duration.ofMillis((long) Math.floor(r * (upper + 1)));
    }

    /** Sends batches; returns what to schedule next (RETRY after a failure, TIMER for a partial rest, or null). */
    private @Nullable Trigger deliver(Trigger trigger) {
        while (true) {
            if (w.state() == AuditDeliveryState.NOT_SUPPORTED
                    || Thread.currentThread().isInterrupted()) {
                return null;
            }
            List<Spool.SpooledEvent> batch;
            try {
                batch = spool.read(spool.ackedSeq() + 1, maxEvents, maxBytes);
            } catch (IllegalStateException e) {
                return null; // the spool was closed with the writer
            } catch (IOException e) {
                w.deliveryFailed("reading the spool failed: " + e.getClass().getSimpleName(), Long.MAX_VALUE);
                return null;
            }
            if (batch.isEmpty()) {
                return null;
            }
            boolean full = batch.size() >= maxEvents || spool.readableSeq() - spool.ackedSeq() > batch.size();
            if (!full && trigger == Trigger.FULL && !w.forceRequested()) {
                return Trigger.TIMER;
            }
            if (!send(batch)) {
                return w.state() == AuditDeliveryState.NOT_SUPPORTED ? null : Trigger.RETRY;
            }
        }
    }

    private boolean send(List<Spool.SpooledEvent> batch) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(maxBytes + 16);
        body.writeBytes(OPEN);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).payload());
        }
        body.writeBytes(CLOSE);
        ApiRequest request = ApiRequest.builder("POST", PATH)
                .jsonBytes(body.toByteArray())
                .idempotent()
                .build();
        long attempt = w.sending(batch.size());
        ApiResponse response;
        try {
            response = transport.execute(request);
        } catch (StackInterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (StackException e) {
            failures.incrementAndGet();
            int status = e.httpStatus();
            if (status == 404 || status == 405) {
                LOG.warn(
                        "the control plane has no audit ingest endpoint (HTTP {} on {}): the audit chain is kept in the"
                                + " spool, nothing is acknowledged and nothing deleted",
                        status,
                        PATH);
                w.notSupported("HTTP " + status + " on " + PATH);
                return false;
            }
            w.deliveryFailed(describe(e), attempt);
            return false;
        }
        try {
            answer(batch, response);
        } catch (IOException e) {
            failures.incrementAndGet();
            String m = e.getMessage();
            w.deliveryFailed(
                    m != null && m.startsWith("the ingest response")
                            ? m
                            : "acknowledging in the spool failed: "
                                    + e.getClass().getSimpleName(),
                    attempt);
            return false;
        }
        return true;
    }

    private void answer(List<Spool.SpooledEvent> batch, ApiResponse response) throws IOException {
        JsonNode body = response.body();
        Map<String, String> answers = new HashMap<>();
        if (body != null && body.isObject()) {
            for (JsonNode id : body.path("accepted")) {
                answers.put(id.asText(), "");
            }
            for (JsonNode id : body.path("duplicates")) {
                answers.put(id.asText(), "");
            }
            for (JsonNode r : body.path("rejected")) {
                String code = r.path("code").asText("");
                answers.put(r.path("event_id").asText(), CODE.matcher(code).matches() ? code : "UNKNOWN");
            }
        }
        long acked = 0;
        Spool.SpooledEvent last = null;
        for (Spool.SpooledEvent r : batch) {
            String a = answers.get(r.eventId());
            if (a == null) {
                break;
            }
            if (a.isEmpty()) {
                w.acknowledgedOne(r.seq());
            } else {
                LOG.warn("the control plane rejected audit event {} (client_seq {}): {}", r.eventId(), r.seq(), a);
                w.rejectedOne(a);
            }
            acked++;
            last = r;
        }
        if (last == null) {
            throw new IOException("the ingest response answered none of the " + batch.size() + " events sent");
        }
        spool.acknowledge(last.seq(), SpoolFormat.hashOf(last.payload(), last.payload().length));
        failures.set(0);
        backingOff = false;
        w.delivered(acked);
    }

    private static String describe(StackException e) {
        String code = e.errorCode();
        String c = code != null && CODE.matcher(code).matches() ? " " + code : "";
        return e.httpStatus() > 0 ? "HTTP " + e.httpStatus() + c : e.getClass().getSimpleName();
    }

    /** Stops scheduling; a running send finishes or is interrupted by the scheduler's close. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            TaskScheduler.Cancellable s = scheduled;
            if (s != null) {
                s.cancel();
            }
            scheduled = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells whether a send is running.
     *
     * @return true while a task delivers
     */
    boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }
}
