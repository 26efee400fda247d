package run.getstack.sdk.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * Seeds one service connection, from {@link Seed#newConnection(String)}: a single secret or named fields, and its
 * scopes.
 *
 * <pre>{@code
 * String openai = fake.seed().newConnection("openai").secret("sk-test").scopes("chat").create();
 * String sftp = fake.seed().newConnection("custom_sftp_server")
 *         .field("host", "sftp.example.com").field("password", "hunter2").scopes("read").create();
 * }</pre>
 *
 * <p>Not thread-safe; use one builder per connection. The secret is stored envelope-encrypted and never printed.
 */
public final class ConnectionSeed {
    private final Engine engine;
    private String operatorId;
    private final String provider;
    private @Nullable String secret;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<String> scopes = new ArrayList<>();

    ConnectionSeed(Engine engine, String operatorId, String provider) {
        this.engine = engine;
        this.operatorId = operatorId;
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * The operator that owns the connection; default the fake's default operator.
     *
     * @param operatorId {@code op_…}
     * @return this
     */
    public ConnectionSeed operator(String operatorId) {
        this.operatorId = Objects.requireNonNull(operatorId, "operatorId");
        return this;
    }

    /**
     * The single credential value (API key, token).
     *
     * @param value the secret
     * @return this
     */
    public ConnectionSeed secret(String value) {
        Objects.requireNonNull(value, "secret");
        if (!fields.isEmpty()) {
            throw new IllegalStateException("a connection has either a secret or fields, not both");
        }
        this.secret = value;
        return this;
    }

    /**
     * One named field of a multi-field credential (e.g. {@code host}, {@code password}).
     *
     * @param name field name
     * @param value field value (a secret)
     * @return this
     */
    public ConnectionSeed field(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (secret != null) {
            throw new IllegalStateException("a connection has either a secret or fields, not both");
        }
        fields.put(name, value);
        return this;
    }

    /**
     * Adds connection scopes.
     *
     * @param scopes at least one in all
     * @return this
     */
    public ConnectionSeed scopes(String... scopes) {
        for (String s : scopes) {
            this.scopes.add(Objects.requireNonNull(s, "scope"));
        }
        return this;
    }

    /**
     * Connects the service.
     *
     * @return the connection id
     * @throws IllegalStateException if neither a secret nor fields were given, or no scope
     * @throws IllegalArgumentException if the fake refuses a value
     */
    public String create() {
        if (secret == null && fields.isEmpty()) {
            throw new IllegalStateException("a connection needs secret(..) or field(..)");
        }
        if (scopes.isEmpty()) {
            throw new IllegalStateException("a connection needs at least one scope");
        }
        List<String> s = List.copyOf(scopes);
        Map<String, String> f = fields.isEmpty() ? null : Map.copyOf(fields);
        return Seed.call(() -> engine.seedConnection(operatorId, provider, s, secret, f));
    }

    @Override
    public String toString() {
        return "ConnectionSeed[" + provider + ", scopes=" + scopes + ", secret=<redacted>]";
    }
}
