package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code GET /v1/agents} with {@code page}/{@code limit} (wire protocol §2.2, §13.2). */
class AgentsPagingTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    List<String> seeded = new ArrayList<>();

    @BeforeEach
    void seed(FakeControlPlane fake) {
        for (int i = 0; i < 23; i++) {
            seeded.add(fake.seed().agent("paged-" + i));
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("agents").forEach(a -> out.add(a.path("id").asText()));
        return out;
    }

    @Test
    void pagesSliceTheListOldestFirstAndEchoPageAndLimit() {
        List<String> all = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            JsonNode r = http.get("/v1/agents?page=" + page + "&limit=7").json();
            assertThat(r.path("page").asInt()).isEqualTo(page);
            assertThat(r.path("limit").asInt()).isEqualTo(7);
            assertThat(r.has("has_more")).isFalse();
            assertThat(r.path("agents").size()).isEqualTo(page < 4 ? 7 : 2);
            all.addAll(ids(r));
        }
        assertThat(all).containsExactlyElementsOf(seeded);
        assertThat(ids(http.get("/v1/agents?page=5&limit=7").json())).isEmpty();
    }

    @Test
    void withoutPageOrLimitTheWholeListComesWithoutPagingMembers() {
        JsonNode r = http.get("/v1/agents").json();
        assertThat(ids(r)).containsExactlyElementsOf(seeded);
        assertThat(r.has("page")).isFalse();
        assertThat(r.has("limit")).isFalse();
    }

    @Test
    void pageDefaultsToOneAndLimitToOneHundred() {
        JsonNode byLimit = http.get("/v1/agents?limit=5").json();
        assertThat(byLimit.path("page").asInt()).isEqualTo(1);
        assertThat(ids(byLimit)).containsExactlyElementsOf(seeded.subList(0, 5));
        JsonNode byPage = http.get("/v1/agents?page=1").json();
        assertThat(byPage.path("limit").asInt()).isEqualTo(100);
        assertThat(ids(byPage)).hasSize(23);
    }

    @Test
    void outOfRangePageOrLimitIsRefusedNamingIt() {
        Replies.assertError(http.get("/v1/agents?page=0"), 400, "INVALID_REQUEST", "page");
        Replies.assertError(http.get("/v1/agents?page=x"), 400, "INVALID_REQUEST", "page");
        Replies.assertError(http.get("/v1/agents?limit=0"), 400, "INVALID_REQUEST", "limit");
        Replies.assertError(http.get("/v1/agents?limit=501"), 400, "INVALID_REQUEST", "limit");
        assertThat(ids(http.get("/v1/agents?limit=500").json())).hasSize(23);
    }
}
