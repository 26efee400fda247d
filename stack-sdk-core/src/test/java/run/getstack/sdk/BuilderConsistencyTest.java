package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.PassportVerifier;

/**
 * Issue 14, "Core": one setter name for one type across builders; every setter validates at once and names the
 * setting; {@code build()} checks only what depends on several settings or on the environment.
 */
class BuilderConsistencyTest {

    private static Map<Class<?>, Set<String>> settersByType(Class<?> builder) {
        return Arrays.stream(builder.getMethods())
                .filter(m -> m.getReturnType() == builder && m.getParameterCount() == 1)
                .collect(Collectors.groupingBy(
                        m -> m.getParameterTypes()[0], Collectors.mapping(Method::getName, Collectors.toSet())));
    }

    @Test
    void aTypeSetOnBothBuildersHasOneSetterName() {
        Map<Class<?>, Set<String>> client = settersByType(StackClient.Builder.class);
        Map<Class<?>, Set<String>> verifier = settersByType(PassportVerifier.Builder.class);
        Set<Class<?>> shared = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        shared.addAll(client.keySet());
        shared.retainAll(verifier.keySet());

        assertThat(shared).contains(OkHttpClient.class, java.time.Clock.class);
        for (Class<?> type : shared) {
            if (type == String.class || type == java.time.Duration.class || type == int.class || type == long.class) {
                continue; // general-purpose types name different settings
            }
            assertThat(verifier.get(type)).as(type.getSimpleName()).isEqualTo(client.get(type));
        }
        assertThat(verifier.get(OkHttpClient.class)).containsExactly("okHttpClient");
    }

    @Test
    void theClientsSettersValidateAtOnceNamingTheSetting() {
        StackClient.Builder b = StackClient.builder();

        assertThatThrownBy(() -> b.baseUrl("ftp://x.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl:");
        assertThatThrownBy(() -> b.baseUrl("http://api.getstack.run"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl:");
        assertThatThrownBy(() -> b.agentId("agt/../x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("agentId:");
        assertThatThrownBy(() -> b.apiKey(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey: is empty");
        assertThatThrownBy(() -> b.apiKey("sk_live_op_abc\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey:")
                .hasMessageNotContaining("sk_live_op_abc");
        Secret closed = Secret.of("sk_live_op_closed0123456789");
        closed.close();
        assertThatThrownBy(() -> b.apiKey(closed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey:");
    }

    @Test
    void buildChecksOnlyCombinationsAndTheEnvironment() {
        assertThatCode(() -> StackClient.builder()
                        .baseUrl("http://127.0.0.1:1")
                        .agentId("agt_1")
                        .apiKey("sk_live_op_fine0123456789"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> StackClient.builder()
                        .apiKey("sk_live_op_fine0123456789")
                        .agentKeyFile(java.nio.file.Path.of("k.json"))
                        .build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessage("agentKeyFile: requires agentId");
        Secret later = Secret.of("sk_live_op_later0123456789");
        StackClient.Builder b = StackClient.builder().apiKey(later);
        later.close(); // closed after it was set: only build() can see that
        assertThatThrownBy(b::build)
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageStartingWith("apiKey:");
    }
}
