package run.getstack.sdk.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.crypto.Hashes;

/**
 * Keeps MockWebServer's own log lines for the fakes' servers free of lease ids and secrets (wire protocol §5.6: a
 * lease id is in the path). Its per-request line ({@code received request: DELETE /v1/leases/lse_… HTTP/1.1}) is
 * dropped, since the journal records every request with the path masked; any other line from a fake's server is
 * kept with lease ids, API keys and JWTs replaced by fingerprints. Lines of other MockWebServers pass untouched.
 */
final class ServerLogFilter implements Filter {
    private static final Logger LOGGER = Logger.getLogger(MockWebServer.class.getName());
    private static final Pattern SECRET = Pattern.compile("(lse_|sk_live_|eyJ)[A-Za-z0-9_.\\-]+");
    private static final Set<String> FAKE_SERVERS = ConcurrentHashMap.newKeySet();
    private static @Nullable ServerLogFilter installed;

    private final @Nullable Filter previous;

    private ServerLogFilter(@Nullable Filter previous) {
        this.previous = previous;
    }

    /**
     * Starts filtering a fake's server.
     *
     * @param server the started server (its {@code toString()} prefixes its log lines)
     * @return the key to {@link #unregister(String)} with
     */
    static String register(MockWebServer server) {
        synchronized (ServerLogFilter.class) {
            if (installed == null || LOGGER.getFilter() != installed) {
                installed = new ServerLogFilter(LOGGER.getFilter());
                LOGGER.setFilter(installed);
            }
        }
        String key = server.toString();
        FAKE_SERVERS.add(key);
        return key;
    }

    /**
     * Stops filtering a fake's server.
     *
     * @param key what {@link #register} returned
     */
    static void unregister(String key) {
        FAKE_SERVERS.remove(key);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null && FAKE_SERVERS.stream().anyMatch(message::startsWith)) {
            if (message.contains(" received request: ")) {
                return false;
            }
            record.setMessage(mask(message));
            Throwable t = record.getThrown();
            if (t != null && t.getMessage() != null) {
                Throwable safe = new Throwable(t.getClass().getName() + ": " + mask(t.getMessage()));
                safe.setStackTrace(t.getStackTrace());
                record.setThrown(safe);
            }
        }
        return previous == null || previous.isLoggable(record);
    }

    static String mask(String text) {
        Matcher m = SECRET.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "redacted:" + Hashes.fingerprint(m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
