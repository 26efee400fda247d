package run.getstack.sdk.testkit;

/** Path patterns for faults and journal queries: {@code *} or {@code {name}} match one segment, {@code **} the rest. */
final class PathPattern {
    private PathPattern() {}

    static void validate(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern must start with '/': " + pattern);
        }
    }

    static boolean matches(String pattern, String path) {
        String[] p = pattern.substring(1).split("/", -1);
        String[] s = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("**")) {
                return true;
            }
            if (i >= s.length) {
                return false;
            }
            boolean wildcard = p[i].equals("*") || (p[i].startsWith("{") && p[i].endsWith("}"));
            if (!wildcard && !p[i].equals(s[i])) {
                return false;
            }
            if (wildcard && s[i].isEmpty()) {
                return false;
            }
        }
        return p.length == s.length;
    }
}
