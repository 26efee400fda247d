package run.getstack.sdk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.auth.CredentialsFile;
import run.getstack.sdk.internal.auth.RefreshTokenBearer;

/**
 * Package-private: the checks of {@link StackClient.Builder}'s settings (base URL, timeouts, API key, ids) and the
 * credential discovery of {@link StackClient.Builder#build()}.
 */
final class ClientChecks {
    /** What an agent or mission id may look like. */
    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final int MAX_API_KEY_LENGTH = 4096;

    private ClientChecks() {}

    /** Where the client's credential came from, and its bearer source. */
    record Discovered(Supplier<Secret> bearer, @Nullable Secret apiKey, String source) {}

    /**
     * Finds the credential, first match wins: {@link StackClient.Builder#apiKey(String)}, then {@value
     * StackClient#API_KEY_ENV}, then the credentials file in the home directory (validated now, exchanged on the first
     * call).
     */
    static Discovered discoverCredential(StackClient.Builder b) {
        Secret key = b.apiKey;
        String source = "apiKey";
        if (key == null) {
            String env = b.environment.apply(StackClient.API_KEY_ENV);
            if (env == null || env.trim().isEmpty()) {
                Path file = credentialsFile(b);
                if (file != null && CredentialsFile.exists(file)) {
                    RefreshTokenBearer bearer = new RefreshTokenBearer(CredentialsFile.open(file), b.clock, b.random);
                    return new Discovered(bearer, null, "credentials file " + file);
                }
                throw new StackConfigurationException("apiKey: not set, " + StackClient.API_KEY_ENV + " is empty and "
                        + (file == null
                                ? "no home directory is known for .stack/credentials.json"
                                : file + " does not exist")
                        + " (call apiKey(...), set " + StackClient.API_KEY_ENV
                        + ", or sign in with npx @getstackrun/cli auth login)");
            }
            key = Secret.of(env.trim());
            source = StackClient.API_KEY_ENV;
        }
        String problem = keyProblem(key, source); // the given Secret may have been closed since
        if (problem != null) {
            throw new StackConfigurationException(problem);
        }
        Secret fixed = key;
        return new Discovered(() -> fixed, fixed, source);
    }

    private static @Nullable Path credentialsFile(StackClient.Builder b) {
        Path home = b.homeDirectory;
        if (home != null) {
            return CredentialsFile.inHome(home);
        }
        return CredentialsFile.defaultLocation(
                b.environment, System.getProperty("os.name"), System.getProperty("user.home"));
    }

    /** What is wrong with a key, naming its source and never showing it; null when it is usable. */
    static @Nullable String keyProblem(Secret key, String source) {
        if (key.isClosed()) {
            return "apiKey: the Secret was closed";
        }
        if (key.length() == 0) {
            return source + ": is empty";
        }
        if (key.length() > MAX_API_KEY_LENGTH) {
            return source + ": longer than " + MAX_API_KEY_LENGTH + " characters";
        }
        char[] chars = key.revealPlaintextChars();
        try {
            for (char c : chars) {
                if (c < 0x21 || c > 0x7E) {
                    return source + ": contains whitespace, control or non-ASCII characters";
                }
            }
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
        return null;
    }

    static HttpUrl parseBaseUrl(String raw) {
        HttpUrl url = HttpUrl.parse(raw.trim());
        if (url == null) {
            throw new IllegalArgumentException("baseUrl: not an http(s) URL");
        }
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            throw new IllegalArgumentException("baseUrl: must not contain user info");
        }
        if (url.query() != null || url.fragment() != null) {
            throw new IllegalArgumentException("baseUrl: must not contain a query or fragment");
        }
        if ("http".equals(url.scheme()) && !isLiteralLoopback(url.host())) {
            throw new IllegalArgumentException("baseUrl: http:// is only allowed for a loopback host"
                    + " (localhost, 127.0.0.0/8, [::1]); use https://");
        }
        return url;
    }

    private static boolean isLiteralLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        if (IPV4_LOOPBACK.matcher(h).matches()) {
            for (String part : h.split("\\.", -1)) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static Duration timeout(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.compareTo(StackClient.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    name + ": must be positive and at most " + StackClient.MAX_TIMEOUT + ", was " + d);
        }
        return d;
    }
}
