/**
 * Internal, not for public use; may change without notice. The one HTTP transport every resource of the client
 * shares: request model, JSON, bounded response reading, retries, circuit breaker and error mapping.
 */
@NullMarked
package run.getstack.sdk.internal.http;

import org.jspecify.annotations.NullMarked;
