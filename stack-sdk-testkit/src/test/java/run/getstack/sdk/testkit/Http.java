package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Small OkHttp client for tests: sends JSON, returns status, headers and parsed body. */
final class Http {
    /**
     * Runs each async task on a new daemon thread. The common ForkJoinPool has parallelism 1 on a 2-core machine,
     * and on recent JDKs a task queued behind a blocked long-poll there never runs.
     */
    static final java.util.concurrent.Executor NEW_THREAD = task -> {
        Thread t = new Thread(task, "test-async");
        t.setDaemon(true);
        t.start();
    };

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");
    static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(40))
            .retryOnConnectionFailure(false)
            .build();

    record Reply(int status, Map<String, String> headers, String text) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String code() {
            return json().path("error").path("code").asText();
        }

        String reason() {
            return json().path("error").path("details").path("reason").asText();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final String baseUrl;
    private String apiKey;
    private final Map<String, String> extra = new LinkedHashMap<>();

    Http(FakeControlPlane fake) {
        this(fake.baseUrl(), fake.operatorApiKey());
    }

    Http(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    Http key(String key) {
        Http h = new Http(baseUrl, key);
        h.extra.putAll(extra);
        return h;
    }

    Http header(String name, String value) {
        Http h = new Http(baseUrl, apiKey);
        h.extra.putAll(extra);
        h.extra.put(name, value);
        return h;
    }

    Http passport(String token) {
        return header("X-Passport-Token", token);
    }

    static String json(Object o) {
        try {
            return o instanceof String s ? s : MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, json(body));
    }

    Reply patch(String path, Object body) {
        return send("PATCH", path, json(body));
    }

    Reply send(String method, String path, String body) {
        Request.Builder b = new Request.Builder().url(baseUrl + path);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        extra.forEach(b::header);
        b.method(
                method,
                body == null
                        ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON) : null)
                        : RequestBody.create(body, JSON));
        try (Response r = CLIENT.newCall(b.build()).execute()) {
            Map<String, String> h = new LinkedHashMap<>();
            for (String n : r.headers().names()) {
                h.put(n.toLowerCase(java.util.Locale.ROOT), r.header(n));
            }
            return new Reply(r.code(), h, r.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
