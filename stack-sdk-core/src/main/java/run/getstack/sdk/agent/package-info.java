/**
 * Agents: register, list, read, update, delete and unblock the agents of an operator ({@code client.agents()}).
 *
 * <p>{@link run.getstack.sdk.agent.Agents} is the resource; {@link run.getstack.sdk.agent.AgentRegistration} and
 * {@link run.getstack.sdk.agent.AgentUpdate} check STACK's input rules as they are set, so a bad name or an unknown
 * mode fails before anything is sent. The typed values ({@link run.getstack.sdk.agent.AccountabilityMode}, {@link
 * run.getstack.sdk.agent.CredentialAccess}, ...) keep a value a newer STACK sends instead of failing on it.
 */
@NullMarked
package run.getstack.sdk.agent;

import org.jspecify.annotations.NullMarked;
