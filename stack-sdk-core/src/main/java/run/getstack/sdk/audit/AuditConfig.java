package run.getstack.sdk.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the audit writer works: where it spools, how durable a recorded event is, how much disk it may use and how
 * it batches. Immutable; build with {@link #builder(Path)} and give it to {@code StackClient.Builder.audit(..)}.
 * Setters validate at once and throw {@link IllegalArgumentException} naming the setting.
 *
 * <p><b>When the spool is full</b> (the disk budget is used up by events the control plane has not acknowledged),
 * or the in-memory queue is: {@code record()} waits up to {@link #fullWait()} for room, then throws {@link
 * StackAuditFullException}. Nothing is ever dropped silently and no spooled event is deleted before the control
 * plane has acknowledged it.
 */
public final class AuditConfig {
    /** Default {@link #durability()}: {@link AuditDurability#GROUP_COMMIT}. */
    public static final AuditDurability DEFAULT_DURABILITY = AuditDurability.GROUP_COMMIT;

    /** Default {@link #groupCommitInterval()}: 50 ms. */
    public static final Duration DEFAULT_GROUP_COMMIT_INTERVAL = Duration.ofMillis(50);

    /** Default {@link #diskBudgetBytes()}: 256 MiB. */
    public static final long DEFAULT_DISK_BUDGET_BYTES = 256L * 1024 * 1024;

    /** Default {@link #segmentBytes()}: 4 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L * 1024 * 1024;

    /** The smallest {@link #segmentBytes()}: 16 KiB. */
    public static final long MIN_SEGMENT_BYTES = 16 * 1024;

    /** Default {@link #fullWait()}: 5 s. */
    public static final Duration DEFAULT_FULL_WAIT = Duration.ofSeconds(5);

    /** Default {@link #queueCapacity()}: 8192 events. */
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;

    /** Default and largest {@link #maxBatchEvents()}: 500 (the control plane's limit). */
    public static final int MAX_BATCH_EVENTS = 500;

    /** Default and largest {@link #maxBatchBytes()}: 1 MiB of request body (the control plane's limit). */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;

    /** Default {@link #batchDelay()}: 1 s. */
    public static final Duration DEFAULT_BATCH_DELAY = Duration.ofSeconds(1);

    /** Default {@link #retryBaseDelay()}: 500 ms. */
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(500);

    /** Default {@link #retryMaxDelay()}: 30 s. */
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);

    /** Default {@link #closeTimeout()}: 10 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration MAX_DURATION = Duration.ofHours(1);

    private final Path spoolDirectory;
    private final AuditDurability durability;
    private final Duration groupCommitInterval;
    private final long diskBudgetBytes;
    private final long segmentBytes;
    private final Duration fullWait;
    private final int queueCapacity;
    private final int maxBatchEvents;
    private final int maxBatchBytes;
    private final Duration batchDelay;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Duration closeTimeout;
    private final boolean shutdownHook;

    private AuditConfig(Builder b) {
        this.spoolDirectory = b.spoolDirectory;
        this.durability = b.durability;
        this.groupCommitInterval = b.groupCommitInterval;
        this.diskBudgetBytes = b.diskBudgetBytes;
        this.segmentBytes = b.segmentBytes;
        this.fullWait = b.fullWait;
        this.queueCapacity = b.queueCapacity;
        this.maxBatchEvents = b.maxBatchEvents;
        this.maxBatchBytes = b.maxBatchBytes;
        this.batchDelay = b.batchDelay;
        this.retryBaseDelay = b.retryBaseDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.closeTimeout = b.closeTimeout;
        this.shutdownHook = b.shutdownHook;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @param spoolDirectory where the spool lives (created if absent; one writer per directory at a time)
     * @return a new builder
     */
    public static Builder builder(Path spoolDirectory) {
        return new Builder(spoolDirectory);
    }

    /**
     * Returns where the spool lives.
     *
     * @return the directory
     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**
     * Returns when a recorded event is forced to disk.
     *
     * @return the policy
     */
    public AuditDurability durability() {
        return durability;
    }

    /**
     * Returns the longest time between two forces of the spool under {@link AuditDurability#GROUP_COMMIT}.
     *
     * @return the interval
     */
    public Duration groupCommitInterval() {
        return groupCommitInterval;
    }

    /**
     * Returns the most disk the spool's segment files may use.
     *
     * @return bytes
     */
    public long diskBudgetBytes() {
        return diskBudgetBytes;
    }

    /**
     * Returns the size at which the spool starts a new segment file.
     *
     * @return bytes
     */
    public long segmentBytes() {
        return segmentBytes;
    }

    /**
     * Returns how long {@code record()} waits for room when the spool or the queue is full, and how long it waits
     * for a security-critical event to reach the disk, before it throws.
     *
     * @return the wait
     */
    public Duration fullWait() {
        return fullWait;
    }

    /**
     * Returns how many events may wait in memory for the writer's thread.
     *
     * @return events
     */
    public int queueCapacity() {
        return queueCapacity;
    }

    /**
     * Returns the most events per request.
     *
     * @return events
     */
    public int maxBatchEvents() {
        return maxBatchEvents;
    }

    /**
     * Returns the largest request body.
     *
     * @return bytes
     */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /**
     * Returns how long an event may wait for a full batch before it is sent anyway.
     *
     * @return the delay
     */
    public Duration batchDelay() {
        return batchDelay;
    }

    /**
     * Returns the first wait after a failed delivery (doubling, full jitter, up to {@link #retryMaxDelay()}).
     *
     * @return the delay
     */
    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    /**
     * Returns the longest wait between delivery attempts during an outage.
     *
     * @return the delay
     */
    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /**
     * Returns how long {@code StackClient.close()} tries to deliver before it leaves the rest in the spool.
     *
     * @return the timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Tells whether a JVM shutdown hook closes the writer (delivering or spooling what is queued) if the client was
     * not closed.
     *
     * @return true if installed
     */
    public boolean shutdownHook() {
        return shutdownHook;
    }

    /**
     * Shows the configuration.
     *
     * @return the settings
     */
    @Override
    public String toString() {
        return "AuditConfig{spoolDirectory=" + spoolDirectory + ", durability=" + durability
                + ", groupCommitInterval=" + groupCommitInterval + ", diskBudgetBytes=" + diskBudgetBytes
                + ", segmentBytes=" + segmentBytes + ", fullWait=" + fullWait + ", queueCapacity=" + queueCapacity
                + ", maxBatchEvents=" + maxBatchEvents + ", maxBatchBytes=" + maxBatchBytes + ", batchDelay="
                + batchDelay + ", retryBaseDelay=" + retryBaseDelay + ", retryMaxDelay=" + retryMaxDelay
                + ", closeTimeout=" + closeTimeout + ", shutdownHook=" + shutdownHook + '}';
    }

    /** Builds an {@link AuditConfig}. Not thread-safe. */
    public static final class Builder {
        private final Path spoolDirectory;
        private AuditDurability durability = DEFAULT_DURABILITY;
        private Duration groupCommitInterval = DEFAULT_GROUP_COMMIT_INTERVAL;
        private long diskBudgetBytes = DEFAULT_DISK_BUDGET_BYTES;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private Duration fullWait = DEFAULT_FULL_WAIT;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int maxBatchEvents = MAX_BATCH_EVENTS;
        private int maxBatchBytes = MAX_BATCH_BYTES;
        private Duration batchDelay = DEFAULT_BATCH_DELAY;
        private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
        private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private boolean shutdownHook;

        private Builder(Path spoolDirectory) {
            this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        }

        /**
         * Sets when a recorded event is forced to disk. Default {@link #DEFAULT_DURABILITY}.
         *
         * @param durability the policy
         * @return this builder
         */
        public Builder durability(AuditDurability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Sets the longest time between forces under group commit. Default {@link #DEFAULT_GROUP_COMMIT_INTERVAL}.
         *
         * @param interval 1 ms to 1 h
         * @return this builder
         */
        public Builder groupCommitInterval(Duration interval) {
            this.groupCommitInterval = positive("groupCommitInterval", interval, Duration.ofMillis(1));
            return this;
        }

        /**
         * Sets the most disk the spool may use. Default {@link #DEFAULT_DISK_BUDGET_BYTES}. Checked by {@link
         * #build()} to be at least twice {@link #segmentBytes(long)}.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder diskBudgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("diskBudgetBytes: must be positive, was " + bytes);
            }
            this.diskBudgetBytes = bytes;
            return this;
        }

        /**
         * Sets the size at which a new segment file starts. Default {@link #DEFAULT_SEGMENT_BYTES}.
         *
         * @param bytes at least {@link #MIN_SEGMENT_BYTES}
         * @return this builder
         */
        public Builder segmentBytes(long bytes) {
            if (bytes < MIN_SEGMENT_BYTES) {
                throw new IllegalArgumentException(
                        "segmentBytes: must be at least " + MIN_SEGMENT_BYTES + ", was " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /**
         * Sets how long {@code record()} waits for room (or for the disk, for a security-critical event). Default
         * {@link #DEFAULT_FULL_WAIT}.
         *
         * @param wait 0 to 1 h
         * @return this builder
         */
        public Builder fullWait(Duration wait) {
            this.fullWait = positive("fullWait", wait, Duration.ZERO);
            return this;
        }

        /**
         * Sets how many events may wait in memory. Default {@link #DEFAULT_QUEUE_CAPACITY}.
         *
         * @param events 1 to 1,048,576
         * @return this builder
         */
        public Builder queueCapacity(int events) {
            if (events < 1 || events > 1 << 20) {
                throw new IllegalArgumentException("queueCapacity: must be 1 to 1048576, was " + events);
            }
            this.queueCapacity = events;
            return this;
        }

        /**
         * Sets the most events per request. Default and maximum {@link #MAX_BATCH_EVENTS}.
         *
         * @param events 1 to {@link #MAX_BATCH_EVENTS}
         * @return this builder
         */
        public Builder maxBatchEvents(int events) {
            if (events < 1 || events > MAX_BATCH_EVENTS) {
                throw new IllegalArgumentException(
                        "maxBatchEvents: must be 1 to " + MAX_BATCH_EVENTS + ", was " + events);
            }
            this.maxBatchEvents = events;
            return this;
        }

        /**
         * Sets the largest request body. Default and maximum {@link #MAX_BATCH_BYTES}.
         *
         * @param bytes 16 KiB to {@link #MAX_BATCH_BYTES}
         * @return this builder
         */
        public Builder maxBatchBytes(int bytes) {
            if (bytes < 16 * 1024 || bytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException(
                        "maxBatchBytes: must be 16384 to " + MAX_BATCH_BYTES + ", was " + bytes);
            }
            this.maxBatchBytes = bytes;
            return this;
        }

        /**
         * Sets how long an event waits for a full batch. Default {@link #DEFAULT_BATCH_DELAY}.
         *
         * @param delay 0 to 1 h
         * @return this builder
         */
        public Builder batchDelay(Duration delay) {
            this.batchDelay = positive("batchDelay", delay, Duration.ZERO);
            return this;
        }

        /**
         * Sets the backoff after failed deliveries. Defaults {@link #DEFAULT_RETRY_BASE_DELAY} and {@link
         * #DEFAULT_RETRY_MAX_DELAY}.
         *
         * @param base 1 ms to 1 h
         * @param max at least {@code base}, at most 1 h
         * @return this builder
         */
        public Builder retryBackoff(Duration base, Duration max) {
            Duration b = positive("retryBaseDelay", base, Duration.ofMillis(1));
            Duration m = positive("retryMaxDelay", max, Duration.ofMillis(1));
            if (m.compareTo(b) < 0) {
                throw new IllegalArgumentException("retryMaxDelay: must be at least retryBaseDelay (" + b + ")");
            }
            this.retryBaseDelay = b;
            this.retryMaxDelay = m;
            return this;
        }

        /**
         * Sets how long closing tries to deliver. Default {@link #DEFAULT_CLOSE_TIMEOUT}.
         *
         * @param timeout 0 to 1 h
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout, Duration.ZERO);
            return this;
        }

        /**
         * Sets whether a JVM shutdown hook closes the writer if the client was not closed. Default false.
         *
         * @param install whether to install it
         * @return this builder
         */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if the disk budget is less than two segments
         */
        public AuditConfig build() {
            if (diskBudgetBytes < 2 * segmentBytes) {
                throw new IllegalArgumentException("diskBudgetBytes: must be at least twice segmentBytes ("
                        + segmentBytes + "), was " + diskBudgetBytes);
            }
            return new AuditConfig(this);
        }

        private static Duration positive(String name, Duration d, Duration min) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + ": must be " + min + " to " + MAX_DURATION + ", was " + d);
            }
            return d;
        }
    }
}
