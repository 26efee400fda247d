package run.getstack.sdk.testkit.internal.state;

import java.time.Duration;
import run.getstack.sdk.testkit.internal.DetectorConfig;
import run.getstack.sdk.testkit.internal.proxy.Proxy;

/**
 * Internal, not for public use. The fake's settings the modules read.
 *
 * @param issuer passport {@code iss}
 * @param detectors detector settings (live, thread-safe)
 * @param keyGrace initial retired-key grace
 * @param proxy the upstream forwarder
 */
public record FakeConfig(String issuer, DetectorConfig detectors, Duration keyGrace, Proxy proxy) {}
