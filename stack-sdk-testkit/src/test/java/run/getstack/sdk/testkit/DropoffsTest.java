package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class DropoffsTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "required", List.of("ticket", "summary"),
            "properties",
                    Map.of(
                            "ticket", Map.of("type", "integer", "minimum", 1),
                            "summary", Map.of("type", "string", "maxLength", 200),
                            "tags", Map.of("type", "array", "items", Map.of("type", "string"))));

    String sender;
    String reader;
    String other;
    SeededPassport senderPassport;
    SeededPassport readerPassport;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        sender = fake.seed().agent("sender");
        reader = fake.seed().agent("reader");
        other = fake.seed().agent("other");
        senderPassport = fake.seed()
                .newPassport(sender)
                .ttl(Duration.ofHours(1))
                .intent("handoff")
                .create();
        readerPassport = fake.seed()
                .newPassport(reader)
                .ttl(Duration.ofHours(1))
                .intent("handoff")
                .create();
    }

    String create(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("from_agent", sender, "schema", SCHEMA));
        if (!extra.containsKey("to_agents")) {
            body.put("to_agent", reader);
        }
        body.putAll(extra);
        Http.Reply r = http.post("/v1/dropoffs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    Http.Reply deposit(String id, Object payload) {
        return http.passport(senderPassport.token())
                .post("/v1/dropoffs/" + id + "/deposit", Map.of("agent_id", sender, "payload", payload));
    }

    Http.Reply collect(String id, String agent, SeededPassport p) {
        return http.passport(p.token()).post("/v1/dropoffs/" + id + "/collect", Map.of("agent_id", agent));
    }

    @Test
    void aPackageGoesFromSenderToRecipientOnceAndIsThenDeleted() {
        Instant t = CLOCK.instant();
        String id = create(Map.of());
        assertThat(id).matches("drp_[a-z0-9]{24}");
        JsonNode status = http.get("/v1/dropoffs/" + id).json();
        assertThat(status.path("status").asText()).isEqualTo("created");
        assertThat(Instant.parse(status.path("expires_at").asText())).isEqualTo(t.plusSeconds(1800));
        assertThat(status.path("to_agents").toString()).isEqualTo("[\"" + reader + "\"]");

        Http.Reply d = deposit(id, Map.of("ticket", 42, "summary", "refund the order please"));
        assertThat(d.status()).as(d.text()).isEqualTo(200);
        assertThat(d.json().path("status").asText()).isEqualTo("deposited");
        assertThat(d.json().has("payload")).isFalse();
        byte[] stored = fake.dropoffs().storedCiphertext(id).orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("refund");

        Http.Reply c = collect(id, reader, readerPassport);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        assertThat(c.json().path("payload").path("summary").asText()).isEqualTo("refund the order please");
        assertThat(c.json().path("collected_by").asText()).isEqualTo(reader);
        assertThat(c.header("Cache-Control")).isEqualTo("no-store");
        assertThat(fake.dropoffs().storedCiphertext(id)).isEmpty();
        assertThat(fake.dropoffs().status(id)).contains("collected");

        Http.Reply again = collect(id, reader, readerPassport);
        Replies.assertError(again, 409, "DROPOFF_ALREADY_COLLECTED");
        assertThat(Replies.detail(again, "collected_by")).isEqualTo(reader);
        StackAssertions.assertThat(fake.auditLog())
                .hasEntry("dropoff.create")
                .hasEntry("dropoff.deposit")
                .hasEntry("dropoff.collect");
        assertThat(fake.auditLog().withAction("dropoff.collect").get(1).outcome())
                .isEqualTo("failure");
    }

    @Test
    void aPayloadThatFailsTheSchemaIsRefusedNamingEachPath() {
        String id = create(Map.of());
        Http.Reply r = deposit(id, Map.of("ticket", 0, "tags", List.of("a", 7)));
        Replies.assertError(r, 400, "SCHEMA_VALIDATION_FAILED");
        List<String> paths = new ArrayList<>();
        r.json()
                .path("error")
                .path("details")
                .path("issues")
                .forEach(i -> paths.add(i.path("path").asText()));
        assertThat(paths).contains("ticket", "tags.1", "");
        assertThat(fake.dropoffs().status(id)).contains("created");
        assertThat(fake.dropoffs().storedCiphertext(id)).isEmpty();
        assertThat(deposit(id, Map.of("ticket", 7, "summary", "ok")).status()).isEqualTo(200);
        assertThat(deposit(id, Map.of("ticket", 8, "summary", "again")).reason())
                .isEqualTo("already_deposited");
    }

    @Test
    void aSchemaThatIsNotAJsonSchemaOrReachesOutIsRefusedAtCreate() throws Exception {
        Http.Reply bad = http.post(
                "/v1/dropoffs",
                Map.of("from_agent", sender, "to_agent", reader, "schema", Map.of("type", "no-such-type")));
        Replies.assertError(bad, 400, "INVALID_REQUEST");
        assertThat(bad.text()).contains("schema");
        try (MockWebServer schemaHost = new MockWebServer()) {
            schemaHost.enqueue(new MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", "application/schema+json")
                    .body("{\"type\":\"object\"}")
                    .build());
            schemaHost.start();
            String ref = schemaHost.url("/remote.json").toString();
            Http.Reply remote = http.post(
                    "/v1/dropoffs", Map.of("from_agent", sender, "to_agent", reader, "schema", Map.of("$ref", ref)));
            assertThat(remote.status()).as(remote.text()).isEqualTo(400);
            assertThat(schemaHost.getRequestCount())
                    .as("a remote $ref is never fetched")
                    .isZero();
        }
        assertThat(http.post("/v1/dropoffs", Map.of("from_agent", sender, "to_agent", reader, "schema", "x"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void ttlDefaultsTo30MinutesAndIsCappedAt24Hours() {
        assertThat(http.post(
                                "/v1/dropoffs",
                                Map.of(
                                        "from_agent",
                                        sender,
                                        "to_agent",
                                        reader,
                                        "schema",
                                        SCHEMA,
                                        "ttl_seconds",
                                        86_401))
                        .status())
                .isEqualTo(400);
        String id = create(Map.of("ttl_seconds", 86_400));
        assertThat(Instant.parse(
                        http.get("/v1/dropoffs/" + id).json().path("expires_at").asText()))
                .isEqualTo(CLOCK.instant().plusSeconds(86_400));
    }

    @Test
    void aPackageExpiresOnTheFakesClockAndIsPurged() {
        String id = create(Map.of("ttl_seconds", 60));
        assertThat(deposit(id, Map.of("ticket", 1, "summary", "s")).status()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(fake.dropoffs().storedCiphertext(id)).isPresent();
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(fake.dropoffs().storedCiphertext(id)).isEmpty();
        assertThat(fake.dropoffs().status(id)).contains("expired");
        Http.Reply late = collect(id, reader, readerPassport);
        Replies.assertError(late, 410, "DROPOFF_EXPIRED");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("dropoff.expire");
    }

    @Test
    void anExplicitExpireDeletesThePackageAndIsIdempotent() {
        String id = create(Map.of());
        deposit(id, Map.of("ticket", 1, "summary", "s"));
        Http.Reply e = http.post("/v1/dropoffs/" + id + "/expire", Map.of());
        assertThat(e.status()).as(e.text()).isEqualTo(200);
        assertThat(e.json().path("status").asText()).isEqualTo("expired");
        assertThat(fake.dropoffs().storedCiphertext(id)).isEmpty();
        assertThat(http.post("/v1/dropoffs/" + id + "/expire", Map.of()).status())
                .isEqualTo(200);
        assertThat(deposit(id, Map.of("ticket", 1, "summary", "s")).code()).isEqualTo("DROPOFF_EXPIRED");
    }

    @Test
    void recipientsAndPassportsAreChecked() {
        String id = create(Map.of());
        deposit(id, Map.of("ticket", 1, "summary", "s"));
        SeededPassport otherPassport = fake.seed()
                .newPassport(other)
                .ttl(Duration.ofHours(1))
                .intent("handoff")
                .create();
        assertThat(collect(id, other, otherPassport).reason()).isEqualTo("not_recipient");
        assertThat(collect(id, reader, senderPassport).reason()).isEqualTo("passport_not_yours");
        assertThat(http.post("/v1/dropoffs/" + id + "/collect", Map.of()).code())
                .isEqualTo("INVALID_REQUEST");
        assertThat(http.post("/v1/dropoffs/" + id + "/collect", Map.of()).text())
                .contains("agent_id");
        http.post("/v1/passports/" + readerPassport.jti() + "/revoke", Map.of());
        assertThat(collect(id, reader, readerPassport).code()).isEqualTo("PASSPORT_REVOKED");
        assertThat(fake.dropoffs().status(id)).contains("deposited");
        assertThat(http.post(
                                "/v1/dropoffs",
                                Map.of("from_agent", sender, "to_agents", List.of(sender), "schema", SCHEMA))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/v1/dropoffs", Map.of("from_agent", sender, "to_agent", "agt_unknown", "schema", SCHEMA))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void ofFiftyRacingRecipientsExactlyOneTakesThePackage() throws Exception {
        List<String> recipients = new ArrayList<>();
        List<SeededPassport> passports = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String a = fake.seed().agent("r" + i);
            recipients.add(a);
            passports.add(fake.seed()
                    .newPassport(a)
                    .ttl(Duration.ofHours(1))
                    .intent("handoff")
                    .create());
        }
        String id = create(Map.of("to_agents", recipients));
        deposit(id, Map.of("ticket", 5, "summary", "race"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                replies.add(pool.submit(() -> {
                    go.await();
                    return collect(id, recipients.get(n), passports.get(n));
                }));
            }
            go.countDown();
            List<Http.Reply> wins = new ArrayList<>();
            List<String> namedWinners = new ArrayList<>();
            for (Future<Http.Reply> f : replies) {
                Http.Reply r = f.get();
                if (r.status() == 200) {
                    wins.add(r);
                } else {
                    assertThat(r.code()).isEqualTo("DROPOFF_ALREADY_COLLECTED");
                    namedWinners.add(Replies.detail(r, "collected_by"));
                }
            }
            assertThat(wins).hasSize(1);
            String winner = wins.get(0).json().path("collected_by").asText();
            assertThat(namedWinners).hasSize(49).containsOnly(winner);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stackV1OnlyKeepsStacksRoutesAndDropsTheStatusRead() {
        try (FakeControlPlane v1 =
                FakeControlPlane.builder().clock(CLOCK).stackV1Only().start()) {
            List<String> routes = v1.routes().stream()
                    .filter(r -> r.path().startsWith("/v1/dropoffs"))
                    .map(r -> r.method() + " " + r.path() + " " + r.origin())
                    .toList();
            assertThat(routes)
                    .containsExactlyInAnyOrder(
                            "POST /v1/dropoffs STACK_V1",
                            "POST /v1/dropoffs/{id}/deposit STACK_V1",
                            "POST /v1/dropoffs/{id}/collect STACK_V1",
                            "POST /v1/dropoffs/{id}/expire STACK_LIVE_INFERRED",
                            "GET /v1/dropoffs STACK_LIVE_INFERRED",
                            "GET /v1/dropoffs/{id} EXTENSION");
            assertThat(new Http(v1).get("/v1/dropoffs/drp_x").reason()).isEqualTo("unknown_route");
            assertThat(new Http(v1).post("/v1/dropoffs/drp_x/expire", Map.of()).code())
                    .isEqualTo("NOT_FOUND");
        }
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("dropoffs").forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    @Test
    void theListHoldsTheOperatorsDropOffsNewestFirstPagedAsTheOtherLists() {
        String first = create(Map.of());
        String second = create(Map.of());
        String third = create(Map.of("to_agents", List.of(reader, other)));

        JsonNode all = Replies.ok(http.get("/v1/dropoffs"), 200);
        assertThat(ids(all)).containsExactly(third, second, first);
        assertThat(all.path("page").asLong()).isEqualTo(1);
        assertThat(all.path("limit").asLong()).isEqualTo(50);
        assertThat(all.path("has_more").asBoolean()).isFalse();
        assertThat(all.path("dropoffs").get(0).path("to_agents").toString())
                .isEqualTo("[\"" + reader + "\",\"" + other + "\"]");
        assertThat(all.path("dropoffs").get(0).path("status").asText()).isEqualTo("created");

        JsonNode page1 = Replies.ok(http.get("/v1/dropoffs?limit=2"), 200);
        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        JsonNode page2 = Replies.ok(http.get("/v1/dropoffs?page=2&limit=2"), 200);
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.path("has_more").asBoolean()).isFalse();
        assertThat(ids(Replies.ok(http.get("/v1/dropoffs?page=3&limit=2"), 200)))
                .isEmpty();

        Replies.assertError(http.get("/v1/dropoffs?page=0"), 400, "INVALID_REQUEST", "page");
        Replies.assertError(http.get("/v1/dropoffs?limit=0"), 400, "INVALID_REQUEST", "limit");
        Replies.assertError(http.get("/v1/dropoffs?limit=201"), 400, "INVALID_REQUEST", "limit");
    }

    @Test
    void anAgentListsOnlyWhatItSendsOrReceivesAndNoListHoldsAPackage() {
        String toReader = create(Map.of());
        String toOther = create(Map.of("to_agents", List.of(other)));
        Replies.ok(deposit(toReader, Map.of("ticket", 7, "summary", "the-package-itself")), 200);

        JsonNode readers =
                Replies.ok(http.asAgent(fake, reader, CLOCK.instant()).get("/v1/dropoffs"), 200);
        assertThat(ids(readers)).containsExactly(toReader);
        JsonNode senders =
                Replies.ok(http.asAgent(fake, sender, CLOCK.instant()).get("/v1/dropoffs"), 200);
        assertThat(ids(senders)).containsExactly(toOther, toReader);
        JsonNode operators = Replies.ok(http.get("/v1/dropoffs"), 200);
        assertThat(operators.toString()).doesNotContain("the-package-itself");
        assertThat(readers.toString()).doesNotContain("the-package-itself");

        Http stranger = new Http(fake).key(fake.seed().operator("stranger").apiKey());
        assertThat(ids(Replies.ok(stranger.get("/v1/dropoffs"), 200))).isEmpty();
    }

    @Test
    void theListShowsADueDropOffAsExpired() {
        String id = create(Map.of("ttl_seconds", 60));
        CLOCK.advance(Duration.ofSeconds(60));
        JsonNode list = Replies.ok(http.get("/v1/dropoffs"), 200);
        assertThat(ids(list)).containsExactly(id);
        assertThat(list.path("dropoffs").get(0).path("status").asText()).isEqualTo("expired");
        assertThat(fake.dropoffs().storedCiphertext(id)).isEmpty();
    }
}
