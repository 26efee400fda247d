package run.getstack.sdk.approval.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.approval.Approvals;
import run.getstack.sdk.approval.GovernanceApprovalInfo;
import run.getstack.sdk.approval.GovernanceApprovalStatus;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;

/** Internal, not for public use. {@link Approvals} over {@code GET /v1/approvals} (wire protocol §14.5). */
public final class DefaultApprovals implements Approvals {
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_SUMMARY = 1000;

    private final Transport transport;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     */
    public DefaultApprovals(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public GovernanceApprovalInfo get(String approvalId) {
        Ids.require("approvalId", approvalId);
        return transport.execute(ApiRequest.get("/v1/approvals/" + approvalId).build(), r -> {
            JsonNode o = r.requireObject();
            String url = JsonFields.optText(o, "approval_url");
            if (url != null && ErrorMapper.approvalLink(o.get("approval_url")) == null) {
                throw new ResponseShapeException("field 'approval_url' is not an http(s) link");
            }
            return info(JsonFields.object(o, "approval"), url);
        });
    }

    @Override
    public List<GovernanceApprovalInfo> listRecent(int limit, @Nullable GovernanceApprovalStatus status) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        ApiRequest.Builder req = ApiRequest.get("/v1/approvals").query("limit", Integer.toString(limit));
        if (status != null) {
            req.query("status", status.name().toLowerCase(Locale.ROOT));
        }
        return transport.execute(req.build(), r -> {
            JsonNode arr = JsonFields.array(r.requireObject(), "approvals");
            if (arr.size() > MAX_LIMIT) {
                throw new ResponseShapeException("field 'approvals' has more than " + MAX_LIMIT + " entries");
            }
            List<GovernanceApprovalInfo> out = new ArrayList<>();
            for (JsonNode a : arr) {
                out.add(info(a, null));
            }
            return List.copyOf(out);
        });
    }

    private static GovernanceApprovalInfo info(JsonNode o, @Nullable String url) {
        if (!o.isObject()) {
            throw new ResponseShapeException("an approval is not an object");
        }
        String action = JsonFields.text(o, "action");
        if (!ACTION.matcher(action).matches()) {
            throw new ResponseShapeException("field 'action' is not an action name");
        }
        String summary = JsonFields.text(o, "summary");
        if (summary.length() > MAX_SUMMARY) {
            summary = summary.substring(0, MAX_SUMMARY);
        }
        GovernanceApprovalStatus status = JsonFields.typed(o, "status", GovernanceApprovalStatus::of);
        return new GovernanceApprovalInfo(
                Ids.fromServer("id", JsonFields.text(o, "id")),
                action,
                summary,
                status,
                JsonFields.instant(o, "expires_at"),
                JsonFields.optInstant(o, "decided_at"),
                url);
    }
}
