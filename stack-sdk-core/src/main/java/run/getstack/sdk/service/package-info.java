/**
 * Services: STACK's catalog, the operator's connections and the grants that give agents access to them ({@code
 * client.services()}). Nothing here returns a credential: connections carry ids, providers and scopes only.
 */
@NullMarked
package run.getstack.sdk.service;

import org.jspecify.annotations.NullMarked;
