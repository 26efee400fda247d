package run.getstack.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Paging over {@code GET /v1/agents}. The fake serves the whole list in one page (STACK documents no paging for it);
 * the page/limit paging the SDK asks for is emulated here by an interceptor that slices the fake's own answer, the
 * way a paging server would ({@code page}, {@code limit} echoed). Remove the interceptor once the fake pages.
 */
class AgentPagingTest {
    static final TestClock CLOCK = TestClock.create();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private final PagingInterceptor pager = new PagingInterceptor();
    private OkHttpClient okHttp;
    private StackClient client;
    private List<String> seeded;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        seeded = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            seeded.add(fake.seed().agent("fleet-" + i));
        }
        okHttp = new OkHttpClient.Builder().addInterceptor(pager).build();
        client = ApiTestSupport.client(fake, CLOCK).okHttpClient(okHttp).build();
    }

    @AfterEach
    void close() {
        client.close();
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    @Test
    void aThousandAgentsArriveInPagesOfSevenOneRequestPerPage() {
        List<String> ids = new ArrayList<>();
        for (Agent a : client.agents().list(7)) {
            ids.add(a.id());
        }

        assertThat(ids).containsExactlyElementsOf(seeded);
        assertThat(new HashSet<>(ids)).hasSize(1000);
        assertThat(pager.requests.get()).isEqualTo(143); // 142 full pages and one of 6
        assertThat(pager.largestPage).isEqualTo(7);
    }

    @Test
    void pagesAreFetchedOnlyAsTheIterationReachesThem() {
        Iterator<Agent> it = client.agents().list(7).iterator();
        assertThat(pager.requests.get()).isZero();

        for (int i = 0; i < 8; i++) {
            it.next();
        }

        assertThat(pager.requests.get()).isEqualTo(2);
        assertThat(client.agents().list(7).stream()
                        .skip(20)
                        .findFirst()
                        .orElseThrow()
                        .id())
                .isEqualTo(seeded.get(20));
        assertThat(pager.requests.get()).isEqualTo(2 + 3);
    }

    @Test
    void eachIterationStartsAgainFromTheFirstPage() {
        var list = client.agents().list(500);

        assertThat(list.stream().count()).isEqualTo(1000);
        assertThat(list.stream().count()).isEqualTo(1000);
        assertThat(pager.requests.get()).isEqualTo(2 * 3); // 500 + 500 + an empty last page, twice
    }

    @Test
    void aServerRepeatingAPageNumberStopsTheIteration() {
        pager.echoWrongPage = true;

        var it = client.agents().list(7).iterator();

        org.assertj.core.api.Assertions.assertThatThrownBy(it::hasNext)
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("page");
    }

    /** Slices the fake's full {@code GET /v1/agents} answer into the page the request asks for. */
    static final class PagingInterceptor implements Interceptor {
        final AtomicInteger requests = new AtomicInteger();
        volatile int largestPage;
        volatile boolean echoWrongPage;

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request req = chain.request();
            HttpUrl url = req.url();
            if (!url.encodedPath().equals("/v1/agents") || url.queryParameter("page") == null) {
                return chain.proceed(req);
            }
            requests.incrementAndGet();
            int page = Integer.parseInt(url.queryParameter("page"));
            int limit = Integer.parseInt(url.queryParameter("limit"));
            Response full = chain.proceed(req);
            JsonNode all;
            try (ResponseBody b = full.body()) {
                all = JSON.readTree(b.string());
            }
            ObjectNode out = JSON.createObjectNode();
            ArrayNode slice = out.putArray("agents");
            JsonNode agents = all.get("agents");
            for (int i = (page - 1) * limit; i < Math.min(agents.size(), page * limit); i++) {
                slice.add(agents.get(i));
            }
            largestPage = Math.max(largestPage, slice.size());
            out.put("page", echoWrongPage ? page + 1 : page);
            out.put("limit", limit);
            return full.newBuilder()
                    .body(ResponseBody.create(
                            JSON.writeValueAsBytes(out), MediaType.get("application/json; charset=utf-8")))
                    .build();
        }
    }
}
