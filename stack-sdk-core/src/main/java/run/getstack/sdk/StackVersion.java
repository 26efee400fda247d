package run.getstack.sdk;

/** The version of this SDK, as sent in the {@code User-Agent} header. */
public final class StackVersion {
    private StackVersion() {}

    /**
     * Returns the SDK version from the jar manifest, or {@code "dev"} when running from classes.
     *
     * @return the version string, never null
     */
    public static String get() {
        String v = StackVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
