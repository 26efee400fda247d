package run.getstack.sdk.auditlog;

/** The forms of an audit export, on the wire and in files the SDK writes and verifies. */
public enum ExportFormat {
    /** One JSON object {@code {"entries":[...],"next_cursor":...}}. */
    JSON("json"),
    /** One entry per line ({@code application/x-ndjson}). */
    NDJSON("ndjson"),
    /**
     * A header row, then one row per entry with the scalar fields ({@code text/csv}); {@code details} and {@code
     * client} are left out. An empty unquoted field is null.
     */
    CSV("csv");

    private final String wire;

    ExportFormat(String wire) {
        this.wire = wire;
    }

    /**
     * Returns the {@code format} query value.
     *
     * @return e.g. {@code ndjson}
     */
    public String wireValue() {
        return wire;
    }
}
