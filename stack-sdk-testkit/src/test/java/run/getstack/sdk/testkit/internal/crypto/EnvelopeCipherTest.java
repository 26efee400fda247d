package run.getstack.sdk.testkit.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
    private static final byte[] AAD = "cred_ref_1".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripRecoversThePlaintext() {
        SecretKey tenant = EnvelopeCipher.newTenantKey();
        byte[] secret = "sk-proj-very-secret".getBytes(StandardCharsets.UTF_8);
        Envelope e = EnvelopeCipher.seal(secret, tenant, AAD);
        assertThat(new String(e.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
        assertThat(EnvelopeCipher.open(e, tenant, AAD)).isEqualTo(secret);
        assertThat(e.toString()).doesNotContain("very-secret").contains("ciphertext=");
    }

    @Test
    void eachSealUsesAFreshDataKeyAndNonce() {
        SecretKey tenant = EnvelopeCipher.newTenantKey();
        byte[] secret = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(EnvelopeCipher.seal(secret, tenant, AAD)).isNotEqualTo(EnvelopeCipher.seal(secret, tenant, AAD));
    }

    @Test
    void anotherTenantsKeyFailsWithATypedError() {
        Envelope e = EnvelopeCipher.seal(new byte[] {1, 2, 3}, EnvelopeCipher.newTenantKey(), AAD);
        assertThatThrownBy(() -> EnvelopeCipher.open(e, EnvelopeCipher.newTenantKey(), AAD))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("wrong tenant key")
                .hasCauseInstanceOf(AEADBadTagException.class);
    }

    @Test
    void tamperedCiphertextOrMovedEnvelopeFails() {
        SecretKey tenant = EnvelopeCipher.newTenantKey();
        Envelope e = EnvelopeCipher.seal(new byte[] {1, 2, 3}, tenant, AAD);
        assertThatThrownBy(() -> EnvelopeCipher.open(e.withFlippedCiphertextByte(), tenant, AAD))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("tampered");
        assertThatThrownBy(() -> EnvelopeCipher.open(e, tenant, "cred_ref_2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class);
    }
}
