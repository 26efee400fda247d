package run.getstack.sdk.testkit.internal.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. The service catalog (reset to the built-in one) and the connections. */
final class ServiceStore implements Store {
    final Map<String, CatalogService> catalog = new LinkedHashMap<>();
    final Map<String, Connection> connections = new LinkedHashMap<>();

    ServiceStore() {
        seedCatalog();
    }

    @Override
    public void reset() {
        catalog.clear();
        seedCatalog();
        connections.clear();
    }

    private void seedCatalog() {
        add("openai", "OpenAI", "api_key", List.of());
        add("anthropic", "Anthropic", "api_key", List.of());
        add("stripe", "Stripe", "api_key", List.of());
        add("slack", "Slack", "oauth", List.of());
        add("github", "GitHub", "oauth", List.of());
        add("google", "Google", "oauth", List.of());
        add("notion", "Notion", "oauth", List.of());
        add("custom_sftp_server", "SFTP server", "multi_field", List.of("host", "username", "password", "port"));
    }

    String add(String provider, String name, String authType, List<String> fields) {
        String slug = provider.replaceAll("[^a-z0-9]", "");
        String sid = "svc_" + (slug + "0".repeat(24)).substring(0, 24);
        catalog.put(provider, new CatalogService(sid, provider, name, authType, List.copyOf(fields)));
        return sid;
    }
}
