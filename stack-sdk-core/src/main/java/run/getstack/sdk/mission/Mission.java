package run.getstack.sdk.mission;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.Passport;

/**
 * A started mission held by this client ({@link Missions#start(MissionRequest)}): it holds the mission's passport and
 * refreshes it ahead of expiry; for enforced agents it sends checkpoints on the client's scheduler well inside the
 * interval (services used and action counts from what the SDK saw, each with an idempotency key so it can be
 * retried); it learns of pauses and of the mission's end. {@link #close()} completes the mission with the output set
 * by {@link #output(Object)}. Thread-safe.
 *
 * <p>The mission's end (completion, closing, renewal or revocation) is a revocation for every check in the SDK: its
 * passports are refused locally from then on.
 */
public interface Mission extends AutoCloseable {
    /**
     * Returns the mission's id.
     *
     * @return {@code ms_...}
     */
    String id();

    /**
     * Returns the mission as this client last saw it (no I/O).
     *
     * @return the last known state
     */
    MissionInfo info();

    /**
     * Reads the mission from the control plane ({@code GET /v1/missions/{id}}) and acts on what changed (a pause
     * decided, an end).
     *
     * @return the current state
     */
    MissionInfo refresh();

    /**
     * Returns the mission's passport, refreshed ahead of expiry.
     *
     * @return a passport that is usable now
     * @throws StackMissionPausedException if a cap paused the mission
     * @throws run.getstack.sdk.passport.StackPassportRevokedException if the mission ended
     * @throws run.getstack.sdk.passport.StackPassportExpiredException if checkpoints or refreshes kept failing
     *     until the passport expired
     */
    Passport passport();

    /**
     * Sets the output {@link #close()} completes the mission with.
     *
     * @param output JSON-like Java values (maps, lists, strings, numbers, booleans, records), or null for none
     */
    void output(@Nullable Object output);

    /**
     * Completes the mission with the output set by {@link #output(Object)}; the control plane checks it against the
     * mission's output schema. Completion revokes the mission's passports.
     *
     * @return the completed mission
     * @throws run.getstack.sdk.StackInvalidRequestException ({@code OUTPUT_SCHEMA_VIOLATION}) if the output does not
     *     meet the schema; the mission stays as it was
     */
    MissionInfo complete();

    /**
     * Revokes the mission and its passports.
     *
     * @param reason why
     * @param notes a note on the revoke event, up to 1000 characters, or null
     * @return the revocation ({@code transitioned=false} if it had already ended)
     */
    MissionRevocation revoke(RevokeReason reason, @Nullable String notes);

    /**
     * Renews the mission: a new mission id and passport for work that outlives the passport's limits. This mission
     * ends ({@link MissionEndReason#RENEWED}).
     *
     * @return the new mission, held by this client
     */
    Mission renew();

    /**
     * Waits for the owner's decision on a paused mission by reading the mission until it is no longer paused or
     * the timeout passes. Interruptible; pins no platform thread.
     *
     * @param timeout how long to wait at most
     * @return the mission: {@code active} after {@code raise}/{@code continue}, {@code completed} after {@code
     *     close}, still {@code paused} if the timeout passed
     * @throws run.getstack.sdk.StackInterruptedException if the thread is interrupted
     */
    MissionInfo awaitDecision(Duration timeout);

    /**
     * Adds who this mission may send to (the owner's call; see {@link Missions#addRecipients(String, List)}).
     *
     * @param recipients exact addresses, numbers or ids
     * @return what the mission may send to after the add
     */
    MissionRecipients addRecipients(List<String> recipients);

    /**
     * Returns the mission's accountability report.
     *
     * @return the report
     */
    MissionReport report();

    /**
     * Adds a listener for this mission.
     *
     * @param listener the listener
     */
    void addListener(MissionListener listener);

    /**
     * Completes the mission with the output set by {@link #output(Object)}, unless it has already ended; stops its
     * checkpoints. Idempotent.
     */
    @Override
    void close();
}
