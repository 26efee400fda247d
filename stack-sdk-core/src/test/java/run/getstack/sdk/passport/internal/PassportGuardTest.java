package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.Secret;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** The guard is the one record of a passport's state: first end wins, listeners are told once. */
class PassportGuardTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final PassportGuard guard = new PassportGuard(Clock.fixed(NOW, ZoneOffset.UTC));
    private final List<String> heard = new ArrayList<>();

    PassportGuardTest() {
        guard.addListener(new PassportGuard.Listener() {
            @Override
            public void checkedOut(String jti) {
                heard.add("checkedOut " + jti);
            }

            @Override
            public void revoked(String jti) {
                heard.add("revoked " + jti);
            }

            @Override
            public void agentRevoked(String agentId) {
                heard.add("agentRevoked " + agentId);
            }

            @Override
            public void resigned(Passport passport, Instant localExpiry) {
                heard.add("resigned " + passport.jti());
            }
        });
    }

    private static Passport passport(String jti, Instant expiresAt) {
        return new Passport(Secret.of("h.p.s"), jti, "agt_1", "ses_1", 0, null, NOW.minusSeconds(60), expiresAt);
    }

    @Test
    void reportsEachStateFromOnePlace() {
        Passport live = passport("pp_live", NOW.plusSeconds(600));
        Passport old = passport("pp_old", NOW);
        Passport out = passport("pp_out", NOW.plusSeconds(600));
        Passport gone = passport("pp_gone", NOW.plusSeconds(600));
        guard.markCheckedOut(out);
        guard.markRevoked(gone.jti(), gone.expiresAt(), "operator revoked it");

        assertThat(guard.state(live)).isEqualTo(PassportGuard.State.ACTIVE);
        assertThat(guard.state(old)).isEqualTo(PassportGuard.State.EXPIRED);
        assertThat(guard.state(out)).isEqualTo(PassportGuard.State.CHECKED_OUT);
        assertThat(guard.state(gone)).isEqualTo(PassportGuard.State.REVOKED);
        assertThat(guard.ended("pp_gone")).hasValueSatisfying(e -> {
            assertThat(e.why()).isEqualTo("operator revoked it");
            assertThat(e.eventType()).isEqualTo(PassportGuard.EVENT_REVOKED);
        });
        assertThat(guard.ended("pp_out").orElseThrow().eventType()).isEqualTo(PassportGuard.EVENT_CHECKED_OUT);
        assertThat(guard.ended("pp_live")).isEmpty();

        guard.requireUsable(live);
        assertThatThrownBy(() -> guard.requireUsable(old)).isInstanceOf(StackPassportExpiredException.class);
        assertThatThrownBy(() -> guard.requireUsable(out)).isInstanceOf(StackPassportCheckedOutException.class);
        assertThatThrownBy(() -> guard.requireUsable(gone))
                .isInstanceOf(StackPassportRevokedException.class)
                .hasMessageContaining("operator revoked it");
        // requireNotCheckedOut refuses only checked-out passports
        guard.requireNotCheckedOut(gone);
        assertThatThrownBy(() -> guard.requireNotCheckedOut(out)).isInstanceOf(StackPassportCheckedOutException.class);
    }

    @Test
    void listenersAreToldOncePerPassportAndTheFirstEndWins() {
        Passport p = passport("pp_1", NOW.plusSeconds(600));
        guard.markRevoked(p.jti(), p.expiresAt(), "first");
        guard.markRevoked(p.jti(), p.expiresAt(), "second");
        guard.markCheckedOut(p);

        assertThat(heard).containsExactly("revoked pp_1");
        assertThat(guard.state(p)).isEqualTo(PassportGuard.State.REVOKED);
        assertThat(guard.ended("pp_1").orElseThrow().why()).isEqualTo("first");
    }
}
