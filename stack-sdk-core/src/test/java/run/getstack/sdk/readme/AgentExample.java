package run.getstack.sdk.readme;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckoutResult;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;

/** README "An agent and its passport": an agent process in agent key mode. */
final class AgentExample {
    private AgentExample() {}

    /**
     * One mission of the agent.
     *
     * @param baseUrl the control plane (README: hosted STACK, the default)
     * @param agentId the agent ({@code agt_...})
     * @param keyFile the agent's key file, enrolled before
     * @return the control plane's review of the mission
     */
    static CheckoutResult summariseTickets(String baseUrl, String agentId, Path keyFile) {
        // readme:begin agent
        try (StackClient stack = StackClient.builder()
                .baseUrl(baseUrl) // default https://api.getstack.run
                .agentId(agentId) // "agt_..."
                .agentKeyFile(keyFile) // agent key mode: this process holds no operator key
                .passportRequest(PassportRequest.builder()
                        .intent(Intent.of("Summarise today's support tickets", List.of("slack")))
                        .ttl(Duration.ofMinutes(15)) // enforced agents: capped at the checkpoint interval
                        .build())
                .build()) {

            Passport passport = stack.passport().current(); // issued on first use, refreshed ahead of expiry
            // ... do the work, presenting the passport ...
            return stack.passports().checkout(passport, CheckoutRequest.success("summarised 42 tickets"));
        }
        // readme:end agent
    }
}
