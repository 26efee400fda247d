package run.getstack.sdk.readme;

import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.VerifiedPassport;

/** README "A service that receives passports": an endpoint that checks the passport presented to it. */
final class ServiceExample {
    private ServiceExample() {}

    // readme:begin service
    static final class ChargesEndpoint implements AutoCloseable {
        private final PassportVerifier verifier; // share one; it is thread-safe

        ChargesEndpoint(String stackBaseUrl) { // "https://api.getstack.run"
            verifier = PassportVerifier.builder()
                    .jwksUrl(stackBaseUrl + "/v1/.well-known/jwks.json")
                    .expectedIssuer("https://api.getstack.run")
                    .expectedAudience("stack:passport")
                    .build();
        }

        /** Returns the HTTP status to answer a request that presents {@code token}. */
        int handle(String token) {
            try {
                VerifiedPassport p = verifier.verify(token);
                // acting on one particular connection? p.allowsConnection("svc_conn_...", "charges:read")
                // ignores the provider's other connections
                return p.allows("stripe", "charges:read") ? 200 : 403;
            } catch (PassportVerificationException e) {
                return 401; // e.reason(): EXPIRED, BAD_SIGNATURE, UNKNOWN_KEY, WRONG_AUDIENCE, ...
            }
        }

        @Override
        public void close() {
            verifier.close(); // stops the JWKS refresh
        }
    }
    // readme:end service
}
