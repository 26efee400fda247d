package run.getstack.sdk.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** Key identity ({@code sameKey}, equals, hashCode) and the message-range check of {@link Ed25519Verify}. */
class Ed25519VerifyBoundaryTest {
    private static byte[] privateKey(long seed) {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(seed).nextBytes(sk);
        return sk;
    }

    private static byte[] publicKey(byte[] sk) {
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        return pk;
    }

    private final byte[] sk1 = privateKey(1);
    private final Ed25519Verify key1 = Ed25519Verify.fromPublicKey(publicKey(sk1));
    private final Ed25519Verify key1Again = Ed25519Verify.fromPublicKey(publicKey(sk1));
    private final Ed25519Verify key2 = Ed25519Verify.fromPublicKey(publicKey(privateKey(2)));

    @Test
    void twoDecodingsOfOneKeyAreTheSameKeyAndADifferentKeyIsNot() {
        assertThat(key1.sameKey(key1Again)).isTrue();
        assertThat(key1.sameKey(key2)).isFalse();
        assertThat(key1).isEqualTo(key1Again).hasSameHashCodeAs(key1Again).isNotEqualTo(key2);
        assertThat(key1.hashCode()).isNotEqualTo(key2.hashCode());
        assertThat(key1.equals("not a key")).isFalse();
        assertThat(key1.toString()).isEqualTo("Ed25519Verify[public key]");
    }

    @Test
    void aSignatureOverPartOfAnArrayVerifiesAndARangePastTheEndIsRefused() {
        byte[] message = "--signed part--".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(sk1, 0, message, 2, message.length - 4, sig, 0);

        assertThat(key1.verify(message, 2, message.length - 4, sig)).isTrue();
        assertThat(key1.verify(message, 1, message.length - 4, sig)).isFalse();
        assertThat(key2.verify(message, 2, message.length - 4, sig)).isFalse();

        for (int[] range : new int[][] {{1, message.length}, {message.length + 1, 0}, {-1, 2}, {0, -1}}) {
            assertThatThrownBy(() -> key1.verify(message, range[0], range[1], sig))
                    .as(range[0] + "+" + range[1])
                    .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("message range out of bounds");
        }
        assertThat(key1.verify(message, message.length, 0, sig)).isFalse(); // empty range at the end is valid
    }
}
