package run.getstack.sdk.dropoff.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.dropoff.SchemaIssue;
import run.getstack.sdk.dropoff.StackDropoffAlreadyCollectedException;
import run.getstack.sdk.dropoff.StackDropoffExpiredException;
import run.getstack.sdk.dropoff.StackDropoffSchemaException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;

/**
 * Internal, not for public use. Maps the drop-off error codes ({@code docs/wire-protocol.md} §1.6, §10.1) to their
 * exceptions, for {@link ErrorCodes}. What it reads from {@code details} is validated: ids must look
 * like ids (and nothing credential-like), at most {@value #MAX_ISSUES} issues are kept, each path and message
 * bounded.
 */
public final class DropoffErrors {
    /** Most schema issues kept from one response. */
    public static final int MAX_ISSUES = 100;

    private static final int MAX_PATH_CHARS = 512;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private DropoffErrors() {}

    /**
     * Returns the drop-off capability's error codes.
     *
     * @return code to exception factory
     */
    public static Map<String, ErrorCodes.Factory> codes() {
        return Map.of(
                "DROPOFF_ALREADY_COLLECTED",
                DropoffErrors::alreadyCollected,
                "DROPOFF_EXPIRED",
                DropoffErrors::expired,
                "SCHEMA_VALIDATION_FAILED",
                DropoffErrors::schema);
    }

    private static StackException alreadyCollected(StackApiException e, @Nullable JsonNode details) {
        String code = e.errorCode();
        String id = id(details, "dropoff_id");
        String by = id(details, "collected_by");
        return new StackDropoffAlreadyCollectedException(
                "drop-off " + (id == null ? "(unnamed)" : id) + " was already collected"
                        + (by == null ? "" : " by " + by) + "; STACK has deleted the package",
                e.httpStatus(),
                code,
                e.requestId(),
                id,
                by,
                instant(details, "collected_at"));
    }

    private static StackException expired(StackApiException e, @Nullable JsonNode details) {
        String code = e.errorCode();
        String id = id(details, "dropoff_id");
        return new StackDropoffExpiredException(
                "drop-off " + (id == null ? "(unnamed)" : id) + " has expired; any package was deleted",
                e.httpStatus(),
                code,
                e.requestId(),
                id);
    }

    private static StackException schema(StackApiException e, @Nullable JsonNode details) {
        String code = e.errorCode();
        List<SchemaIssue> issues = issues(details);
        List<String> paths = issues.stream()
                .map(i -> i.path().isEmpty() ? "(the package)" : i.path())
                .distinct()
                .limit(10)
                .toList();
        return new StackDropoffSchemaException(
                "the package does not meet the drop-off's JSON Schema"
                        + (paths.isEmpty() ? "" : " at " + String.join(", ", paths))
                        + "; nothing was deposited",
                e.httpStatus(),
                code,
                e.requestId(),
                issues);
    }

    private static List<SchemaIssue> issues(@Nullable JsonNode details) {
        List<SchemaIssue> out = new ArrayList<>();
        if (details == null || !details.path("issues").isArray()) {
            return out;
        }
        for (JsonNode i : details.path("issues")) {
            if (out.size() >= MAX_ISSUES) {
                break;
            }
            JsonNode p = i.get("path");
            if (p == null || !p.isTextual()) {
                continue;
            }
            String path = p.asText();
            if (path.length() > MAX_PATH_CHARS) {
                path = path.substring(0, MAX_PATH_CHARS) + "…";
            }
            JsonNode m = i.get("message");
            String message = m != null && m.isTextual() ? ErrorMapper.excerpt(m.asText()) : "";
            out.add(new SchemaIssue(ErrorMapper.excerpt(path), message));
        }
        return out;
    }

    private static @Nullable String id(@Nullable JsonNode details, String field) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        return n != null
                        && n.isTextual()
                        && ID.matcher(n.asText()).matches()
                        && !ErrorMapper.carriesKeyOrJwt(n.asText())
                ? n.asText()
                : null;
    }

    private static @Nullable Instant instant(@Nullable JsonNode details, String field) {
        if (details == null || !details.path(field).isTextual()) {
            return null;
        }
        try {
            return Instant.parse(details.path(field).asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
