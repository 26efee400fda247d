package run.getstack.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Paging over {@code GET /v1/agents}: the fake pages by {@code page}/{@code limit} as the client asks. */
class AgentPagingTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private List<String> seeded;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        seeded = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            seeded.add(fake.seed().agent("fleet-" + i));
        }
        fake.journal().clear();
        client = ApiTestSupport.client(fake, CLOCK).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private List<JournalEntry> pageRequests() {
        return fake.journal().entries("GET", "/v1/agents");
    }

    @Test
    void aThousandAgentsArriveInPagesOfSevenOneRequestPerPage() {
        List<String> ids = new ArrayList<>();
        for (Agent a : client.agents().list(7)) {
            ids.add(a.id());
        }

        assertThat(ids).containsExactlyElementsOf(seeded);
        assertThat(new HashSet<>(ids)).hasSize(1000);
        List<JournalEntry> requests = pageRequests();
        assertThat(requests).hasSize(143); // 142 full pages and one of 6
        for (int i = 0; i < requests.size(); i++) {
            assertThat(requests.get(i).query()).contains("page=" + (i + 1)).contains("limit=7");
            assertThat(requests.get(i).status()).isEqualTo(200);
        }
    }

    @Test
    void pagesAreFetchedOnlyAsTheIterationReachesThem() {
        Iterator<Agent> it = client.agents().list(7).iterator();
        assertThat(pageRequests()).isEmpty();

        for (int i = 0; i < 8; i++) {
            it.next();
        }

        assertThat(pageRequests()).hasSize(2);
        assertThat(client.agents().list(7).stream()
                        .skip(20)
                        .findFirst()
                        .orElseThrow()
                        .id())
                .isEqualTo(seeded.get(20));
        assertThat(pageRequests()).hasSize(2 + 3);
    }

    @Test
    void eachIterationStartsAgainFromTheFirstPage() {
        var list = client.agents().list(500);

        assertThat(list.stream().count()).isEqualTo(1000);
        assertThat(list.stream().count()).isEqualTo(1000);
        assertThat(pageRequests()).hasSize(2 * 3); // 500 + 500 + an empty last page, twice
    }

    @Test
    void aServerRepeatingAPageNumberStopsTheIteration() throws Exception {
        // the fake always echoes the page asked for: a wrong echo needs a hostile server
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .body("{\"agents\":[],\"page\":2,\"limit\":7}")
                    .build());
            server.start();
            try (StackClient odd = ApiTestSupport.client(fake, CLOCK)
                    .baseUrl(server.url("/").toString())
                    .build()) {
                var it = odd.agents().list(7).iterator();

                org.assertj.core.api.Assertions.assertThatThrownBy(it::hasNext)
                        .isInstanceOf(StackMalformedResponseException.class)
                        .hasMessageContaining("page");
            }
            assertThat(server.takeRequest().getUrl().queryParameter("page")).isEqualTo("1");
        }
    }
}
