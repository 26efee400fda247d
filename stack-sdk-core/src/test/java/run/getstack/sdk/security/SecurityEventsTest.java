package run.getstack.sdk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.securityEvents()} against the fake, with events its detectors really raised. */
class SecurityEventsTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private SecurityEvents events;
    private EventSource source;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        client = ApiTestSupport.client(fake, CLOCK).build();
        events = client.securityEvents();
        source = new EventSource(fake, "nosy-bot");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void listsNewestFirstPageByPage() {
        for (int i = 0; i < 12; i++) {
            source.raise(1);
            CLOCK.advance(Duration.ofSeconds(1));
        }
        fake.journal().clear();

        List<SecurityEvent> all = events.list(SecurityEventQuery.unresolved().pageSize(5)).stream()
                .toList();

        assertThat(all).hasSize(12);
        assertThat(all).isSortedAccordingTo((a, b) -> b.createdAt().compareTo(a.createdAt()));
        assertThat(all.get(0).signalType()).isEqualTo("credential_outside_scope");
        assertThat(all.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(all.get(0).agentId()).isEqualTo(source.agentId);
        assertThat(all.get(0).metadataJson()).contains("\"service\":\"slack\"");
        assertThat(fake.journal().count("GET", "/v1/security-events")).isEqualTo(3);
    }

    @Test
    void aPageOf500IsAskedForAndServedAsTodaysStackAllows() {
        for (int i = 0; i < 3; i++) {
            source.raise(1);
        }
        fake.journal().clear();

        assertThat(events.list(SecurityEventQuery.unresolved().pageSize(500)).stream())
                .hasSize(3);

        JournalEntry request = fake.journal().last();
        assertThat(request.query()).contains("limit=500");
        assertThat(request.status()).isEqualTo(200);
        assertThat(ApiTestSupport.raw(fake, "GET", "/v1/security-events?limit=501", null, null)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void filtersByAgent() {
        EventSource other = new EventSource(fake, "other-bot");
        source.raise(2);
        other.raise(3);

        assertThat(events.list(SecurityEventQuery.unresolved().agentId(other.agentId)).stream())
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.agentId()).isEqualTo(other.agentId));
        assertThat(events.list().stream()).hasSize(5);
    }

    @Test
    void aResolvedEventLeavesTheDefaultListAndKeepsItsNote() {
        source.raise(2);
        SecurityEvent first = events.list().iterator().next();

        SecurityEvent resolved = events.resolve(first.id(), "expected: migration test");
        SecurityEvent again = events.resolve(first.id(), null);

        assertThat(resolved.resolved()).isTrue();
        assertThat(resolved.resolvedAt()).isEqualTo(CLOCK.instant());
        assertThat(resolved.resolutionNote()).isEqualTo("expected: migration test");
        assertThat(again.resolutionNote()).isEqualTo("expected: migration test");
        assertThat(events.list().stream()).extracting(SecurityEvent::id).doesNotContain(first.id());
        assertThat(events.list(SecurityEventQuery.unresolved().includeResolved(true)).stream())
                .extracting(SecurityEvent::id)
                .contains(first.id());
        assertThat(events.get(first.id())).isEqualTo(resolved);
    }

    @Test
    void invalidInputIsRefusedLocally() {
        assertThatThrownBy(() -> SecurityEventQuery.unresolved().pageSize(0)).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> SecurityEventQuery.unresolved().pageSize(501)).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> SecurityEventQuery.unresolved().agentId("agt x"))
                .hasMessageStartingWith("agent_id:");
        assertThatThrownBy(() -> events.resolve("sev_1", "n".repeat(1001))).hasMessageStartingWith("note:");
        assertThatThrownBy(() -> events.get("sev/1")).hasMessageStartingWith("eventId:");
        assertThat(fake.journal().count("GET", "/v1/security-events")).isZero();
        assertThat(fake.journal().count("POST", "/v1/security-events/*/resolve"))
                .isZero();
    }

    @Test
    void theFakeRefusesTheSameInputWhenSentRaw() {
        source.raise(1);
        String id = events.list().iterator().next().id();

        assertThat(ApiTestSupport.raw(fake, "GET", "/v1/security-events?limit=0", null, null)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> note = ApiTestSupport.rawPost(
                fake, "/v1/security-events/" + id + "/resolve", "{\"note\":\"" + "n".repeat(1001) + "\"}");
        assertThat(note.statusCode()).isEqualTo(400);
        assertThat(note.body()).contains("\"path\":\"note\"");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThatThrownBy(() -> events.get("sev_nothing")).isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> events.resolve("sev_nothing", null)).isInstanceOf(StackNotFoundException.class);
    }

    @Test
    void aMemberKeyIsRefusedAsStackRefusesEveryTeamMemberHere() {
        source.raise(1);
        for (String role : List.of("readonly", "standard", "admin")) {
            try (StackClient member = ApiTestSupport.client(fake, CLOCK)
                    .apiKey(fake.seed().member(role).apiKey())
                    .build()) {
                assertThatThrownBy(
                                () -> member.securityEvents().list().iterator().hasNext())
                        .isInstanceOfSatisfying(StackPermissionException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo("FORBIDDEN");
                            assertThat(e.reason()).isEqualTo("member_not_allowed");
                        });
                assertThat(member.agents().list().stream()).isNotEmpty(); // the same key reads agents
            }
        }
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong =
                ApiTestSupport.client(fake, CLOCK).apiKey("sk_live_wrong").build()) {
            assertThatThrownBy(() -> wrong.securityEvents().list().iterator().hasNext())
                    .isInstanceOf(StackAuthenticationException.class);
        }
    }
}
