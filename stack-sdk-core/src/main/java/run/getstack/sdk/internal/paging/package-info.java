/**
 * Internal, not for public use; may change without notice. The one paging mechanism of the client: a lazy iterator
 * over pages that holds one page at a time, whatever the server's paging style (page numbers, cursors, watermarks).
 */
@NullMarked
package run.getstack.sdk.internal.paging;

import org.jspecify.annotations.NullMarked;
