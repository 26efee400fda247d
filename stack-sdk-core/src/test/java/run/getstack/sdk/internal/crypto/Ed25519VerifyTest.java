package run.getstack.sdk.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class Ed25519VerifyTest {
    private final byte[] sk = new byte[32];
    private final byte[] pk = new byte[32];
    private final byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
    private final byte[] sig = new byte[64];

    Ed25519VerifyTest() {
        sk[0] = 1;
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        Ed25519.sign(sk, 0, msg, 0, msg.length, sig, 0);
    }

    @Test
    void verifiesAValidSignatureAndRejectsAnyChange() {
        Ed25519Verify key = Ed25519Verify.fromPublicKey(pk);
        assertThat(key.verify(msg, sig)).isTrue();
        byte[] other = msg.clone();
        other[0] ^= 1;
        assertThat(key.verify(other, sig)).isFalse();
        byte[] badSig = sig.clone();
        badSig[10] ^= 1;
        assertThat(key.verify(msg, badSig)).isFalse();
        assertThat(key.verify(msg, new byte[63])).isFalse();
        assertThat(key.verify(msg, new byte[65])).isFalse();
    }

    @Test
    void verifiesPartOfAnArray() {
        byte[] framed = new byte[msg.length + 4];
        System.arraycopy(msg, 0, framed, 2, msg.length);
        Ed25519Verify key = Ed25519Verify.fromPublicKey(pk);
        assertThat(key.verify(framed, 2, msg.length, sig)).isTrue();
        assertThatThrownBy(() -> key.verify(framed, 3, msg.length + 2, sig))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsKeysOfTheWrongLengthOrNotOnTheCurve() {
        assertThatThrownBy(() -> Ed25519Verify.fromPublicKey(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral element: small order
        assertThatThrownBy(() -> Ed25519Verify.fromPublicKey(identity)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesItsInputAndComparesByEncoding() {
        byte[] copy = pk.clone();
        Ed25519Verify a = Ed25519Verify.fromPublicKey(copy);
        copy[0] ^= 1;
        Ed25519Verify b = Ed25519Verify.fromPublicKey(pk);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.sameKey(b)).isTrue();
        assertThat(a.encoded()).isEqualTo(pk);
        assertThat(a.toString()).doesNotContain("0x");
    }
}
