/**
 * Internal, not for public use; may change without notice. Audit reading over the client's transport: the entry
 * codecs (JSON, NDJSON, CSV), the chain preimage, the export reader and the tail.
 */
@NullMarked
package run.getstack.sdk.auditlog.internal;

import org.jspecify.annotations.NullMarked;
