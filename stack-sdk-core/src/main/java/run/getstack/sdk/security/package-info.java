/**
 * Security events: what STACK's detectors raised ({@code client.securityEvents()}), for operator-side tools.
 *
 * <p>{@link run.getstack.sdk.security.SecurityEvents} lists, reads and resolves events and {@link
 * run.getstack.sdk.security.SecurityEvents#watch(SecurityEventWatch, SecurityEventListener)} follows new ones,
 * calling a listener on the client's scheduler. STACK serves these endpoints to operator keys only.
 */
@NullMarked
package run.getstack.sdk.security;

import org.jspecify.annotations.NullMarked;
