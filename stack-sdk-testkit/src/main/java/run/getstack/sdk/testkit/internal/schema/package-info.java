/**
 * Internal, not for public use. The fake's one JSON Schema mechanism (networknt json-schema-validator), shared by the
 * drop-offs (wire protocol §10.1) and the missions' output schemas (§10.4).
 */
@NullMarked
package run.getstack.sdk.testkit.internal.schema;

import org.jspecify.annotations.NullMarked;
