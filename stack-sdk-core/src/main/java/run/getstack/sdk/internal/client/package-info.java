/** Internal, not for public use: how {@code StackClient} puts its capabilities together. */
@NullMarked
package run.getstack.sdk.internal.client;

import org.jspecify.annotations.NullMarked;
