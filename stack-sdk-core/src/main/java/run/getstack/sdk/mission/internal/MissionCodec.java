package run.getstack.sdk.mission.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.mission.MissionEndReason;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionLimits;
import run.getstack.sdk.mission.MissionRecipients;
import run.getstack.sdk.mission.MissionReport;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionRevocation;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.MissionUsage;
import run.getstack.sdk.mission.RecipientPin;
import run.getstack.sdk.passport.PassportReport;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.passport.internal.ReportFormat;

/**
 * Internal, not for public use. Mission JSON both ways ({@code docs/wire-protocol.md} §10.4): request bodies, the
 * Mission object, revocations and reports (with the audit entry hash check of §8.2), and the printable report forms.
 * Every read is bounded and typed; a bad shape is a {@link ResponseShapeException}.
 */
public final class MissionCodec {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_LIST = 10_000;

    private MissionCodec() {}

    /**
     * Builds the start/open body.
     *
     * @param agentId the agent
     * @param r the request
     * @param withPassport false for open (no passport fields)
     * @param authorityRequestId the idempotency id to send, or null
     * @return the body
     */
    public static ObjectNode body(
            String agentId, MissionRequest r, boolean withPassport, @Nullable String authorityRequestId) {
        ObjectNode b = Json.object().put("agent_id", agentId).put("intent_summary", r.intentSummary());
        b.set("services", strings(r.services()));
        MissionLimits l = r.limits();
        if (!l.isEmpty()) {
            ObjectNode lim = b.putObject("limits");
            l.maxActions().ifPresent(v -> lim.put(MissionLimits.MAX_ACTIONS, v));
            l.maxCents().ifPresent(v -> lim.put(MissionLimits.MAX_CENTS, v));
            l.maxSeconds().ifPresent(v -> lim.put(MissionLimits.MAX_SECONDS, v));
            l.maxBytes().ifPresent(v -> lim.put(MissionLimits.MAX_BYTES, v));
            if (!l.maxActionsPerService().isEmpty()) {
                ObjectNode per = lim.putObject(MissionLimits.MAX_ACTIONS_PER_SERVICE);
                new java.util.TreeMap<>(l.maxActionsPerService()).forEach(per::put);
            }
        }
        if (!r.recipients().isEmpty()) {
            b.set("recipients", strings(r.recipients()));
        }
        Map<String, Object> schema = r.outputSchema();
        if (schema != null) {
            b.set("output_schema", Json.mapper().valueToTree(schema));
        }
        Duration interval = r.checkpointInterval();
        if (interval != null) {
            b.put("checkpoint_interval_seconds", interval.toSeconds());
        }
        if (withPassport) {
            Duration ttl = r.ttl();
            if (ttl != null) {
                b.put("ttl_seconds", ttl.toSeconds());
            }
            List<ServiceScope> scopes = r.scopes();
            if (scopes != null) {
                ArrayNode a = b.putArray("scopes");
                for (ServiceScope s : scopes) {
                    ObjectNode o = a.addObject().put("service_connection_id", s.serviceConnectionId());
                    o.set("scopes", strings(s.scopes()));
                }
            }
            List<String> claims = r.identityClaimIds();
            if (claims != null) {
                b.set("identity_claim_ids", strings(claims));
            }
        }
        if (authorityRequestId != null) {
            b.put("authority_request_id", authorityRequestId);
        }
        return b;
    }

    /**
     * Reads a Mission object.
     *
     * @param o the JSON
     * @return the mission
     */
    public static MissionInfo mission(JsonNode o) {
        if (!o.isObject()) {
            throw new ResponseShapeException("mission is not an object");
        }
        String id = id(o, "mission_id");
        String statusText = JsonFields.text(o, "status");
        MissionStatus status = MissionStatus.fromWire(statusText)
                .orElseThrow(() -> new ResponseShapeException("field 'status' is not a mission status"));
        String endText = JsonFields.optText(o, "end_reason");
        MissionEndReason end = endText == null
                ? null
                : MissionEndReason.fromWire(endText)
                        .orElseThrow(() -> new ResponseShapeException("field 'end_reason' is not a known reason"));
        String agent = JsonFields.optText(o, "agent_id");
        if (agent != null && !ID.matcher(agent).matches()) {
            throw new ResponseShapeException("field 'agent_id' is not an id");
        }
        JsonNode passport = o.get("passport");
        String jti = passport != null && passport.isObject() ? id(passport, "jti") : null;
        long interval = JsonFields.optInteger(o, "checkpoint_interval_seconds", 0);
        if (interval < 0 || interval > 86_400) {
            throw new ResponseShapeException("field 'checkpoint_interval_seconds' is out of range");
        }
        return new MissionInfo(
                id,
                agent,
                status,
                end,
                JsonFields.text(o, "intent_summary"),
                optStrings(o, "services"),
                limits(o.get("limits")),
                usage(o.get("usage")),
                JsonFields.optText(o, "paused_cap"),
                JsonFields.optText(o, "paused_service"),
                JsonFields.optText(o, "output_digest"),
                interval == 0 ? null : Duration.ofSeconds(interval),
                jti,
                optId(o, "renewed_from"),
                optId(o, "renewed_to"),
                JsonFields.instant(o, "started_at"),
                JsonFields.optInstant(o, "ended_at"));
    }

    /**
     * Reads the answer to an add of recipients ({@code docs/wire-protocol.md} §10.4.2).
     *
     * @param o the response object
     * @return the mission's recipients and pins
     * @throws ResponseShapeException when a member is missing or malformed
     */
    public static MissionRecipients recipients(JsonNode o) {
        if (!o.isObject()) {
            throw new ResponseShapeException("recipients answer is not an object");
        }
        String id = id(o, "mission_id");
        List<String> recipients = optStrings(o, "recipients");
        List<RecipientPin> pins = new ArrayList<>();
        JsonNode arr = o.get("recipient_pins");
        if (arr != null && !arr.isNull()) {
            if (!arr.isArray()) {
                throw new ResponseShapeException("field 'recipient_pins' is not an array");
            }
            bounded(arr, "recipient_pins");
            for (JsonNode p : arr) {
                if (!p.isObject()) {
                    throw new ResponseShapeException("field 'recipient_pins' has a non-object element");
                }
                try {
                    pins.add(new RecipientPin(
                            JsonFields.text(p, "path"), JsonFields.text(p, "op"), JsonFields.text(p, "value")));
                } catch (IllegalArgumentException e) {
                    throw new ResponseShapeException("field 'recipient_pins' has a pin out of range");
                }
            }
        }
        return new MissionRecipients(id, recipients, pins);
    }

    private static MissionLimits limits(@Nullable JsonNode l) {
        if (l == null || l.isNull()) {
            return MissionLimits.none();
        }
        if (!l.isObject()) {
            throw new ResponseShapeException("field 'limits' is not an object");
        }
        MissionLimits.Builder b = MissionLimits.builder();
        try {
            long v;
            if ((v = JsonFields.optInteger(l, MissionLimits.MAX_ACTIONS, 0)) > 0) {
                b.maxActions(v);
            }
            if ((v = JsonFields.optInteger(l, MissionLimits.MAX_CENTS, 0)) > 0) {
                b.maxCents(v);
            }
            if ((v = JsonFields.optInteger(l, MissionLimits.MAX_SECONDS, 0)) > 0) {
                b.maxSeconds(v);
            }
            if ((v = JsonFields.optInteger(l, MissionLimits.MAX_BYTES, 0)) > 0) {
                b.maxBytes(v);
            }
            JsonNode per = l.get(MissionLimits.MAX_ACTIONS_PER_SERVICE);
            if (per != null && per.isObject()) {
                for (Map.Entry<String, JsonNode> e : per.properties()) {
                    if (!e.getValue().canConvertToLong()) {
                        throw new ResponseShapeException("field 'limits.max_actions_per_service' has a non-integer");
                    }
                    b.maxActionsPerService(e.getKey(), e.getValue().asLong());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ResponseShapeException("field 'limits' is out of range: " + e.getMessage());
        }
        return b.build();
    }

    private static MissionUsage usage(@Nullable JsonNode u) {
        if (u == null || u.isNull()) {
            return MissionUsage.NONE;
        }
        if (!u.isObject()) {
            throw new ResponseShapeException("field 'usage' is not an object");
        }
        Map<String, Long> by = new LinkedHashMap<>();
        JsonNode per = u.get("actions_by_service");
        if (per != null && per.isObject()) {
            for (Map.Entry<String, JsonNode> e : per.properties()) {
                if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0 || by.size() >= 1024) {
                    throw new ResponseShapeException("field 'usage.actions_by_service' is malformed");
                }
                by.put(e.getKey(), e.getValue().asLong());
            }
        }
        try {
            return new MissionUsage(
                    JsonFields.optInteger(u, "actions", 0),
                    JsonFields.optInteger(u, "cents", 0),
                    JsonFields.optInteger(u, "seconds", 0),
                    JsonFields.optInteger(u, "bytes", 0),
                    by);
        } catch (IllegalArgumentException e) {
            throw new ResponseShapeException("field 'usage' is out of range");
        }
    }

    /**
     * Reads a revoke answer.
     *
     * @param o the JSON
     * @return the revocation
     */
    public static MissionRevocation revocation(JsonNode o) {
        MissionStatus status = MissionStatus.fromWire(JsonFields.text(o, "status"))
                .orElseThrow(() -> new ResponseShapeException("field 'status' is not a mission status"));
        String endText = JsonFields.optText(o, "end_reason");
        MissionEndReason end = endText == null
                ? null
                : MissionEndReason.fromWire(endText)
                        .orElseThrow(() -> new ResponseShapeException("field 'end_reason' is not a known reason"));
        List<String> jtis = optStrings(o, "revoked_jtis");
        for (String j : jtis) {
            if (!ID.matcher(j).matches()) {
                throw new ResponseShapeException("field 'revoked_jtis' holds a non-id");
            }
        }
        return new MissionRevocation(id(o, "mission_id"), status, end, JsonFields.bool(o, "transitioned"), jtis);
    }

    /**
     * Reads a passport report.
     *
     * @param o the JSON
     * @return the report
     */
    public static PassportReport passportReport(JsonNode o) {
        if (!o.isObject()) {
            throw new ResponseShapeException("passport report is not an object");
        }
        List<PassportReport.Checkpoint> cps = new ArrayList<>();
        JsonNode arr = o.get("checkpoints");
        if (arr != null && arr.isArray()) {
            bounded(arr, "checkpoints");
            for (JsonNode c : arr) {
                cps.add(new PassportReport.Checkpoint(
                        JsonFields.instant(c, "at"),
                        optStrings(c, "services_used"),
                        JsonFields.optInteger(c, "actions_count", 0),
                        JsonFields.text(c, "summary")));
            }
        }
        JsonNode co = o.get("checkout");
        PassportReport.Checkout checkout = co == null || co.isNull()
                ? null
                : new PassportReport.Checkout(
                        JsonFields.text(co, "status"),
                        JsonFields.text(co, "summary"),
                        JsonFields.instant(co, "checked_out_at"));
        JsonNode rv = o.get("review");
        PassportReport.Review review = rv == null || rv.isNull()
                ? null
                : new PassportReport.Review(JsonFields.text(rv, "decision"), JsonFields.instant(rv, "decided_at"));
        return new PassportReport(
                id(o, "jti"),
                id(o, "agent_id"),
                optId(o, "mission_id"),
                optId(o, "parent_jti"),
                JsonFields.optText(o, "intent_summary"),
                optStrings(o, "services"),
                JsonFields.instant(o, "issued_at"),
                JsonFields.instant(o, "expires_at"),
                JsonFields.text(o, "status"),
                cps,
                checkout,
                review);
    }

    /**
     * Reads and checks a mission report (§10.4.7): every audit row's hash recomputed, rows in chain order, each
     * under one of the report's passports, and the control plane's chain check passed.
     *
     * @param o the JSON
     * @return the report
     */
    public static MissionReport missionReport(JsonNode o) {
        MissionInfo mission = mission(JsonFields.object(o, "mission"));
        JsonNode ps = JsonFields.array(o, "passports");
        bounded(ps, "passports");
        List<PassportReport> passports = new ArrayList<>();
        Set<String> jtis = new java.util.HashSet<>();
        for (JsonNode p : ps) {
            PassportReport r = passportReport(p);
            passports.add(r);
            jtis.add(r.jti());
        }
        JsonNode chain = JsonFields.object(o, "chain");
        if (!JsonFields.bool(chain, "valid")) {
            throw new ResponseShapeException("the control plane reports the audit chain broken");
        }
        JsonNode au = JsonFields.array(o, "audit");
        bounded(au, "audit");
        List<MissionReport.AuditRecord> audit = new ArrayList<>();
        long lastTs = Long.MIN_VALUE;
        for (JsonNode e : au) {
            String jti = JsonFields.text(e, "passport_jti");
            if (!jtis.contains(jti)) {
                throw new ResponseShapeException("audit entry under a passport not in the report");
            }
            long ts = JsonFields.integer(e, "timestamp");
            if (ts < lastTs) {
                throw new ResponseShapeException("audit entries are not in chain order");
            }
            lastTs = ts;
            String hash = JsonFields.text(e, "entry_hash");
            String prev = JsonFields.text(e, "prev_entry_hash");
            if (!HEX64.matcher(hash).matches() || !HEX64.matcher(prev).matches()) {
                throw new ResponseShapeException("audit entry hashes are not 64 lower-case hex");
            }
            String entryId = JsonFields.text(e, "entry_id");
            String operator = JsonFields.text(e, "operator_id");
            String agent = JsonFields.optText(e, "agent_id");
            String layer = JsonFields.text(e, "layer");
            String action = JsonFields.text(e, "action");
            String outcome = JsonFields.text(e, "outcome");
            String expected = entryHash(entryId, ts, operator, agent, layer, action, outcome, prev);
            if (!java.security.MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
                throw new ResponseShapeException("audit entry " + entryId + " does not match its hash");
            }
            audit.add(new MissionReport.AuditRecord(
                    entryId, Instant.ofEpochMilli(ts), agent, jti, layer, action, outcome, hash));
        }
        return new MissionReport(mission, passports, audit, JsonFields.optInteger(chain, "checked", 0));
    }

    /**
     * Computes an audit entry's hash per {@code docs/wire-protocol.md} §8.2.
     *
     * @param entryId the entry id
     * @param timestamp epoch ms
     * @param operatorId the operator
     * @param agentId the agent, or null
     * @param layer the layer
     * @param action the action
     * @param outcome the outcome
     * @param prevEntryHash the previous hash
     * @return lower-case hex SHA-256
     */
    public static String entryHash(
            String entryId,
            long timestamp,
            String operatorId,
            @Nullable String agentId,
            String layer,
            String action,
            String outcome,
            String prevEntryHash) {
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"entry_id\":");
        jsString(b, entryId);
        b.append(",\"timestamp\":").append(timestamp);
        b.append(",\"operator_id\":");
        jsString(b, operatorId);
        b.append(",\"agent_id\":");
        if (agentId == null) {
            b.append("null");
        } else {
            jsString(b, agentId);
        }
        b.append(",\"layer\":");
        jsString(b, layer);
        b.append(",\"action\":");
        jsString(b, action);
        b.append(",\"outcome\":");
        jsString(b, outcome);
        b.append(",\"prev_entry_hash\":");
        jsString(b, prevEntryHash);
        b.append('}');
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** ECMAScript JSON.stringify string escaping (§8.2): lower-case hex, short forms, everything else raw. */
    private static void jsString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c)
                                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                        if (paired) {
                            b.append(c);
                        } else {
                            b.append(String.format("\\u%04x", (int) c));
                        }
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * Returns a mission report as text.
     *
     * @param r the report
     * @return the text
     */
    public static String reportText(MissionReport r) {
        MissionInfo m = r.mission();
        StringBuilder b = new StringBuilder();
        b.append("mission ")
                .append(m.missionId())
                .append(" (")
                .append(m.status().wireValue());
        if (m.endReason() != null) {
            b.append(", ").append(m.endReason().wireValue());
        }
        b.append(")\n");
        b.append("  intent:   ")
                .append(ReportFormat.clean(m.intentSummary()))
                .append(' ')
                .append(m.services())
                .append('\n');
        b.append("  agent:    ")
                .append(m.agentId() == null ? "(unassigned)" : m.agentId())
                .append('\n');
        b.append("  started:  ").append(m.startedAt());
        if (m.endedAt() != null) {
            b.append(", ended ").append(m.endedAt());
        }
        b.append('\n');
        MissionUsage u = m.usage();
        b.append("  usage:    ")
                .append(u.actions())
                .append(" actions ")
                .append(u.actionsByService())
                .append(", ")
                .append(u.bytes())
                .append(" bytes, ")
                .append(u.cents())
                .append(" cents\n");
        if (m.outputDigest() != null) {
            b.append("  output:   ")
                    .append(ReportFormat.clean(m.outputDigest()))
                    .append('\n');
        }
        for (PassportReport p : r.passports()) {
            ReportFormat.appendText(p, b, "  ");
        }
        b.append("  audit (")
                .append(r.audit().size())
                .append(" entries, hashes checked; chain intact over ")
                .append(r.chainEntriesChecked())
                .append(" entries):\n");
        for (MissionReport.AuditRecord a : r.audit()) {
            b.append("    ")
                    .append(a.timestamp())
                    .append(' ')
                    .append(ReportFormat.clean(a.action()))
                    .append(' ')
                    .append(ReportFormat.clean(a.outcome()))
                    .append(' ')
                    .append(a.passportJti())
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * Returns a mission report as JSON.
     *
     * @param r the report
     * @return compact JSON
     */
    public static String reportJson(MissionReport r) {
        ObjectNode o = Json.object();
        o.set("mission", missionJson(r.mission()));
        ArrayNode ps = o.putArray("passports");
        r.passports().forEach(p -> ps.add(ReportFormat.json(p)));
        ArrayNode au = o.putArray("audit");
        for (MissionReport.AuditRecord a : r.audit()) {
            au.addObject()
                    .put("entry_id", a.entryId())
                    .put("timestamp", a.timestamp().toEpochMilli())
                    .put("agent_id", a.agentId())
                    .put("passport_jti", a.passportJti())
                    .put("layer", a.layer())
                    .put("action", a.action())
                    .put("outcome", a.outcome())
                    .put("entry_hash", a.entryHash());
        }
        o.putObject("chain").put("valid", true).put("checked", r.chainEntriesChecked());
        return o.toString();
    }

    /**
     * Returns a mission as JSON (no token: a MissionInfo holds none).
     *
     * @param m the mission
     * @return the object
     */
    public static ObjectNode missionJson(MissionInfo m) {
        ObjectNode o = Json.object()
                .put("mission_id", m.missionId())
                .put("agent_id", m.agentId())
                .put("status", m.status().wireValue());
        o.put("end_reason", m.endReason() == null ? null : m.endReason().wireValue());
        o.put("intent_summary", m.intentSummary());
        o.set("services", strings(m.services()));
        MissionUsage u = m.usage();
        ObjectNode us = o.putObject("usage")
                .put("actions", u.actions())
                .put("cents", u.cents())
                .put("seconds", u.seconds())
                .put("bytes", u.bytes());
        ObjectNode by = us.putObject("actions_by_service");
        new java.util.TreeMap<>(u.actionsByService()).forEach(by::put);
        o.put("paused_cap", m.pausedCap()).put("paused_service", m.pausedService());
        o.put("output_digest", m.outputDigest());
        o.put("started_at", m.startedAt().toString());
        o.put("ended_at", m.endedAt() == null ? null : m.endedAt().toString());
        return o;
    }

    private static void bounded(JsonNode arr, String name) {
        if (arr.size() > MAX_LIST) {
            throw new ResponseShapeException("field '" + name + "' has more than " + MAX_LIST + " elements");
        }
    }

    private static String id(JsonNode o, String field) {
        String v = JsonFields.text(o, field);
        if (!ID.matcher(v).matches()) {
            throw new ResponseShapeException("field '" + field + "' is not an id");
        }
        return v;
    }

    private static @Nullable String optId(JsonNode o, String field) {
        String v = JsonFields.optText(o, field);
        if (v != null && !ID.matcher(v).matches()) {
            throw new ResponseShapeException("field '" + field + "' is not an id");
        }
        return v;
    }

    private static List<String> optStrings(JsonNode o, String field) {
        JsonNode a = o.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new ResponseShapeException("field '" + field + "' is not an array");
        }
        bounded(a, field);
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode n : a) {
            if (!n.isTextual()) {
                throw new ResponseShapeException("field '" + field + "' has a non-string element");
            }
            out.add(n.asText());
        }
        return out;
    }

    /**
     * Makes a JSON array of strings.
     *
     * @param values the strings
     * @return the array
     */
    public static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
