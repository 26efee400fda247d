package run.getstack.sdk.testkit.internal.dropoffs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Internal, not for public use. The drop-off schemas, compiled and applied by networknt's json-schema-validator: a
 * schema without {@code $schema} is draft-07 (the default of Ajv, which STACK validates with); {@code $schema} picks
 * another draft. Remote {@code $ref}s are never fetched (a fake must not make network calls for its callers).
 */
final class DropoffSchemas {
    /** Most issues reported for one payload. */
    static final int MAX_ISSUES = 20;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));

    private DropoffSchemas() {}

    /**
     * Checks a schema against its draft's meta-schema and compiles it.
     *
     * @param schema the {@code schema} member of a create request
     * @return the compiled schema
     * @throws ApiError 400 {@code INVALID_REQUEST} naming the schema's bad paths
     */
    static Schema compile(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw ApiError.invalid("schema", "must be a JSON Schema (an object or a boolean)");
        }
        try {
            String dialect = SpecificationVersion.fromSchemaNode(schema)
                    .orElse(SpecificationVersion.DRAFT_7)
                    .getDialectId();
            Schema meta = REGISTRY.getSchema(SchemaLocation.of(dialect));
            List<Error> errors = meta.validate(schema);
            if (!errors.isEmpty()) {
                throw invalidSchema(errors);
            }
            Schema compiled = REGISTRY.getSchema(schema);
            compiled.initializeValidators(); // resolves every $ref now, not at the first deposit
            return compiled;
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            throw ApiError.invalid("schema", "is not a usable JSON Schema: " + bounded(e.getMessage()));
        }
    }

    private static ApiError invalidSchema(List<Error> errors) {
        ObjectNode d = Json.object();
        ArrayNode issues = d.putArray("issues");
        for (Error e : errors.subList(0, Math.min(errors.size(), MAX_ISSUES))) {
            ObjectNode i = issues.addObject();
            String p = dotted(e.getInstanceLocation());
            i.put("path", p.isEmpty() ? "schema" : "schema." + p);
            i.put("message", bounded(e.getMessage()));
        }
        return new ApiError(400, "INVALID_REQUEST", "Invalid request: schema is not a valid JSON Schema", d);
    }

    /**
     * Validates a payload.
     *
     * @param schema the drop-off's schema
     * @param payload the payload
     * @return the failures (dotted path, {@code ""} for the root, and message), empty when valid
     */
    static ArrayNode validate(Schema schema, JsonNode payload) {
        ArrayNode issues = Json.MAPPER.createArrayNode();
        for (Error e : schema.validate(payload)) {
            if (issues.size() >= MAX_ISSUES) {
                break;
            }
            ObjectNode i = issues.addObject();
            i.put("path", dotted(e.getInstanceLocation()));
            i.put("keyword", e.getMessageKey() == null ? "" : e.getMessageKey());
            i.put("message", bounded(e.getMessage()));
        }
        return issues;
    }

    /** A node path as the wire protocol writes paths: dotted, array indexes as numbers, {@code ""} for the root. */
    static String dotted(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(path.getElement(i));
        }
        return sb.toString();
    }

    private static String bounded(@Nullable String s) {
        String t = s == null ? "" : s;
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
