/**
 * The STACK SDK for Java: {@link run.getstack.sdk.StackVersion} and, in later packages, the client for STACK's v1
 * API.
 */
@NullMarked
package run.getstack.sdk;

import org.jspecify.annotations.NullMarked;
