package run.getstack.sdk.internal.http;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.CertificatePinner;
import okhttp3.ConnectionSpec;
import okhttp3.TlsVersion;

/**
 * Internal, not for public use. The TLS rules every HTTP client of the SDK applies (the client's transport and the
 * verifier's JWKS fetch): TLS 1.2 or 1.3 only with OkHttp's modern cipher suites, whatever a shared OkHttp client
 * allowed; cleartext stays possible at this layer only because the URL checks already refuse {@code http://} except
 * for a literal loopback host. And optional certificate pins (OkHttp's {@link CertificatePinner}).
 */
public final class Tls {
    /** TLS 1.3 and 1.2 with OkHttp's modern cipher suites. */
    public static final ConnectionSpec MODERN = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
            .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
            .build();

    /** The connection specs every client gets: the modern floor, and cleartext for loopback URLs. */
    public static final List<ConnectionSpec> SPECS = List.of(MODERN, ConnectionSpec.CLEARTEXT);

    private static final String SHA256 = "sha256/";

    private Tls() {}

    /**
     * Checks a host pattern and its pins and adds them to a pinner under construction.
     *
     * @param setting the builder setting, named in errors
     * @param pinner the pinner under construction
     * @param hostPattern a host name, {@code *.example.com} or {@code **.example.com}
     * @param pins each {@code sha256/} followed by the base64 SHA-256 of a certificate's SubjectPublicKeyInfo
     * @throws IllegalArgumentException naming the setting when a pattern or pin is malformed
     */
    public static void addPins(String setting, CertificatePinner.Builder pinner, String hostPattern, String... pins) {
        Objects.requireNonNull(hostPattern, setting + " hostPattern");
        Objects.requireNonNull(pins, setting + " pins");
        if (hostPattern.isEmpty() || hostPattern.length() > 253 || !hostPattern.matches("[A-Za-z0-9*.\\-\\[\\]:]+")) {
            throw new IllegalArgumentException(
                    setting + ": host pattern must be a host name such as api.example.com" + " or *.example.com");
        }
        if (pins.length == 0) {
            throw new IllegalArgumentException(setting + ": give at least one pin for " + hostPattern);
        }
        for (int i = 0; i < pins.length; i++) {
            String pin = Objects.requireNonNull(pins[i], setting + " pin");
            byte[] hash = null;
            if (pin.startsWith(SHA256)) {
                try {
                    hash = Base64.getDecoder().decode(pin.substring(SHA256.length()));
                } catch (IllegalArgumentException e) {
                    hash = null;
                }
            }
            if (hash == null || hash.length != 32) {
                throw new IllegalArgumentException(setting + ": pin " + (i + 1) + " for " + hostPattern
                        + " is not sha256/ followed by the base64 SHA-256 of a public key");
            }
        }
        try {
            pinner.add(hostPattern, pins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": host pattern " + hostPattern + " is not accepted", e);
        }
    }

    /**
     * Tells whether an I/O failure is OkHttp's certificate pinning failure (whose message lists the pins: never copy
     * it).
     *
     * @param e the failure
     * @return true for a pin mismatch
     */
    public static boolean isPinFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof SSLPeerUnverifiedException && m != null && m.startsWith("Certificate pinning failure")) {
                return true;
            }
        }
        return false;
    }
}
