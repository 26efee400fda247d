package run.getstack.sdk.testkit.internal.route;

import java.util.regex.Pattern;
import run.getstack.sdk.testkit.internal.crypto.Hashes;

/**
 * Internal, not for public use. A request path fit for logs, the journal and error messages: a lease id (the segment
 * after {@code /v1/leases/}, wire protocol §5.6) becomes {@code lse:<fingerprint>}, and any other segment that looks
 * like a secret (an API key, a JWT, a lease id elsewhere, or anything long) becomes {@code redacted:<fingerprint>}.
 */
public final class SafePath {
    private static final int MAX_PLAIN_SEGMENT = 64;
    private static final Pattern SECRET_LIKE = Pattern.compile("^(sk_|lse_|eyJ).*");

    private SafePath() {}

    /**
     * Masks what must not be shown.
     *
     * @param path a raw or decoded path
     * @return the path with ids and secrets replaced by fingerprints
     */
    public static String of(String path) {
        String[] segs = path.split("/", -1);
        for (int i = 1; i < segs.length; i++) {
            String s = segs[i];
            if (s.isEmpty()) {
                continue;
            }
            if (i == 3 && segs[1].equals("v1") && segs[2].equals("leases")) {
                segs[i] = "lse:" + Hashes.fingerprint(s);
            } else if (SECRET_LIKE.matcher(s).matches() || s.length() > MAX_PLAIN_SEGMENT) {
                segs[i] = "redacted:" + Hashes.fingerprint(s);
            }
        }
        return String.join("/", segs);
    }
}
