package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.passport.PassportReport;

/** Internal, not for public use. The text and JSON forms of a {@link PassportReport}. */
public final class ReportFormat {
    private ReportFormat() {}

    /**
     * Returns a server-supplied string safe to print on one line (control characters become spaces).
     *
     * @param s the string
     * @return the printable form
     */
    public static String clean(@Nullable String s) {
        return s == null ? "(none)" : s.replaceAll("\\p{Cntrl}", " ");
    }

    /**
     * Appends the text form, each line prefixed.
     *
     * @param r the report
     * @param b where
     * @param indent the prefix of each line
     */
    public static void appendText(PassportReport r, StringBuilder b, String indent) {
        b.append(indent)
                .append("passport ")
                .append(r.jti())
                .append(" (")
                .append(clean(r.status()))
                .append(")\n");
        b.append(indent).append("  agent:    ").append(r.agentId()).append('\n');
        if (r.missionId() != null) {
            b.append(indent).append("  mission:  ").append(r.missionId()).append('\n');
        }
        if (r.parentJti() != null) {
            b.append(indent).append("  parent:   ").append(r.parentJti()).append('\n');
        }
        String intent = r.intentSummary();
        b.append(indent)
                .append("  intent:   ")
                .append(clean(intent))
                .append(r.services().isEmpty() ? "" : " " + r.services())
                .append('\n');
        b.append(indent)
                .append("  issued:   ")
                .append(r.issuedAt())
                .append(", expires ")
                .append(r.expiresAt())
                .append('\n');
        for (PassportReport.Checkpoint c : r.checkpoints()) {
            b.append(indent)
                    .append("  checkpoint ")
                    .append(c.at())
                    .append(": ")
                    .append(c.actionsCount())
                    .append(" actions on ")
                    .append(c.servicesUsed())
                    .append(" - ")
                    .append(clean(c.summary()))
                    .append('\n');
        }
        PassportReport.Checkout co = r.checkout();
        b.append(indent)
                .append("  checkout: ")
                .append(
                        co == null
                                ? "(none)"
                                : clean(co.status()) + " at " + co.checkedOutAt() + " - " + clean(co.summary()))
                .append('\n');
        PassportReport.Review rv = r.review();
        b.append(indent)
                .append("  review:   ")
                .append(rv == null ? "(none)" : clean(rv.decision()) + " at " + rv.decidedAt())
                .append('\n');
    }

    /**
     * Returns the JSON form (the wire's field names).
     *
     * @param r the report
     * @return the object
     */
    public static ObjectNode json(PassportReport r) {
        ObjectNode o = Json.object()
                .put("jti", r.jti())
                .put("agent_id", r.agentId())
                .put("mission_id", r.missionId())
                .put("parent_jti", r.parentJti())
                .put("intent_summary", r.intentSummary());
        ArrayNode s = o.putArray("services");
        r.services().forEach(s::add);
        o.put("issued_at", r.issuedAt().toString())
                .put("expires_at", r.expiresAt().toString());
        o.put("status", r.status());
        ArrayNode cps = o.putArray("checkpoints");
        for (PassportReport.Checkpoint c : r.checkpoints()) {
            ObjectNode n = cps.addObject().put("at", c.at().toString());
            ArrayNode su = n.putArray("services_used");
            c.servicesUsed().forEach(su::add);
            n.put("actions_count", c.actionsCount()).put("summary", c.summary());
        }
        PassportReport.Checkout co = r.checkout();
        if (co == null) {
            o.putNull("checkout");
        } else {
            o.putObject("checkout")
                    .put("status", co.status())
                    .put("summary", co.summary())
                    .put("checked_out_at", co.checkedOutAt().toString());
        }
        PassportReport.Review rv = r.review();
        if (rv == null) {
            o.putNull("review");
        } else {
            o.putObject("review")
                    .put("decision", rv.decision())
                    .put("decided_at", rv.decidedAt().toString());
        }
        return o;
    }
}
