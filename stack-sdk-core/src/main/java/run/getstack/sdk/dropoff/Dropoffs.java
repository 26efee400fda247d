package run.getstack.sdk.dropoff;

import org.jspecify.annotations.Nullable;

/**
 * STACK's drop-offs ({@code docs/wire-protocol.md} §10.1): one agent hands a package to one or more others, STACK
 * checks it against the drop-off's JSON Schema, keeps it encrypted and deletes it on the first collect (or at expiry).
 *
 * <p>Deposit and collect are made under the client's own passport ({@code StackClient.passport()}), sent
 * automatically with the current mission's id; a client without an agent id cannot deposit or collect. A deposit is
 * retried on transient failures (with an idempotency key, so it lands once); a collect is never resent, since STACK
 * hands the package over and deletes it on the first collect that reaches it.
 *
 * <p>Every id is checked before anything is sent ({@link IllegalArgumentException} naming the parameter), and so is
 * the package's size. Thread-safe; one per client, and {@link #withCodec(PayloadCodec)} views share it.
 */
public interface Dropoffs {
    /** Largest package: 256 KiB of compact UTF-8 JSON. */
    int MAX_PAYLOAD_BYTES = 256 * 1024;

    /**
     * Creates a drop-off.
     *
     * @param request sender, recipients, schema and TTL
     * @return the drop-off ({@link DropoffStatus#CREATED})
     * @throws IllegalArgumentException naming {@code fromAgent} when neither the request nor the client names the
     *     sender
     * @throws run.getstack.sdk.StackNotFoundException if an agent is unknown to the operator
     * @throws run.getstack.sdk.StackInvalidRequestException if STACK refuses the schema or TTL
     */
    Dropoff create(DropoffRequest request);

    /**
     * Deposits a package, encoded with this view's {@link #codec()}.
     *
     * @param dropoffId the drop-off
     * @param payload the package (a record, bean, map, list, string, number or boolean)
     * @return the drop-off ({@link DropoffStatus#DEPOSITED})
     * @throws IllegalArgumentException naming {@code dropoffId} or {@code payload} (not encodable, or larger than
     *     {@link #MAX_PAYLOAD_BYTES})
     * @throws StackDropoffSchemaException if the package does not meet the schema (nothing was deposited)
     * @throws StackDropoffExpiredException if the drop-off has expired
     * @throws run.getstack.sdk.StackConflictException if a package was already deposited
     */
    Dropoff deposit(String dropoffId, @Nullable Object payload);

    /**
     * Deposits a package given as JSON text.
     *
     * @param dropoffId the drop-off
     * @param json one JSON value
     * @return the drop-off ({@link DropoffStatus#DEPOSITED})
     * @throws IllegalArgumentException naming {@code dropoffId} or {@code payload} (not JSON, or too large)
     * @throws StackDropoffSchemaException if the package does not meet the schema (nothing was deposited)
     * @throws StackDropoffExpiredException if the drop-off has expired
     */
    Dropoff depositJson(String dropoffId, String json);

    /**
     * Collects the package and maps it to a type with this view's {@link #codec()}. STACK deletes the package.
     *
     * @param dropoffId the drop-off
     * @param type what to read the package as
     * @param <T> the type
     * @return the package
     * @throws StackDropoffAlreadyCollectedException if another collect took it first (naming who)
     * @throws StackDropoffExpiredException if the drop-off has expired
     * @throws StackDropoffPayloadException if the package does not fit the type, or STACK's answer around it is
     *     malformed (the package is in the exception)
     * @throws run.getstack.sdk.StackPermissionException if this agent is not a recipient
     */
    <T> T collect(String dropoffId, Class<T> type);

    /**
     * Collects the package as JSON text. STACK deletes the package.
     *
     * @param dropoffId the drop-off
     * @return the package's JSON text
     * @throws StackDropoffAlreadyCollectedException if another collect took it first (naming who)
     * @throws StackDropoffExpiredException if the drop-off has expired
     * @throws StackDropoffPayloadException if STACK's answer around the package is malformed (the package is in the
     *     exception)
     */
    String collectJson(String dropoffId);

    /**
     * Reads a drop-off's status.
     *
     * @param dropoffId the drop-off
     * @return the drop-off
     * @throws run.getstack.sdk.StackNotFoundException if unknown, or not visible to this agent
     */
    Dropoff status(String dropoffId);

    /**
     * Expires a drop-off now: STACK deletes any package. Expiring an expired drop-off changes nothing.
     *
     * @param dropoffId the drop-off
     * @return the drop-off ({@link DropoffStatus#EXPIRED})
     * @throws StackDropoffAlreadyCollectedException if the package was already collected
     */
    Dropoff expire(String dropoffId);

    /**
     * Returns a view of the same drop-offs that maps packages with another codec.
     *
     * @param codec the codec
     * @return the view
     */
    Dropoffs withCodec(PayloadCodec codec);

    /**
     * Returns the codec this view maps packages with ({@link PayloadCodec#defaults()} unless set).
     *
     * @return the codec
     */
    PayloadCodec codec();
}
