package run.getstack.sdk.testkit.internal.schema;

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
 * Internal, not for public use. The fake's JSON Schemas (drop-off schemas, mission output schemas), compiled and
 * applied by networknt's json-schema-validator: a schema without {@code $schema} is draft-07 (the default of Ajv,
 * which STACK validates with); {@code $schema} picks another draft. A schema is checked against its draft's
 * meta-schema when it is compiled. Remote {@code $ref}s are never fetched (a fake must not make network calls for its
 * callers). Issues are reported as {@code {path, keyword, message}} with dotted paths, at most {@link #MAX_ISSUES}.
 */
public final class JsonSchemas {
    /** Most issues reported for one schema or one value. */
    public static final int MAX_ISSUES = 20;

    private static final int MAX_MESSAGE = 300;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));

    private JsonSchemas() {}

    /**
     * Checks a schema against its draft's meta-schema and compiles it, resolving every {@code $ref} now.
     *
     * @param field the request field that holds the schema ({@code schema}, {@code output_schema}); issue paths start
     *     with it
     * @param schema the schema (an object or a boolean)
     * @return the compiled schema, safe to share across threads
     * @throws ApiError 400 {@code INVALID_REQUEST} naming the schema's bad paths
     */
    public static Schema compile(String field, JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw ApiError.invalid(field, "must be a JSON Schema (an object or a boolean)");
        }
        try {
            String dialect = SpecificationVersion.fromSchemaNode(schema)
                    .orElse(SpecificationVersion.DRAFT_7)
                    .getDialectId();
            Schema meta = REGISTRY.getSchema(SchemaLocation.of(dialect));
            List<Error> errors = meta.validate(schema);
            if (!errors.isEmpty()) {
                ObjectNode d = Json.object();
                d.set("issues", issues(errors, field));
                throw new ApiError(
                        400, "INVALID_REQUEST", "Invalid request: " + field + " is not a valid JSON Schema", d);
            }
            Schema compiled = REGISTRY.getSchema(schema);
            compiled.initializeValidators(); // resolves every $ref now, not at the first use
            return compiled;
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            throw ApiError.invalid(field, "is not a usable JSON Schema: " + bounded(e.getMessage()));
        }
    }

    /**
     * Validates a value.
     *
     * @param schema a schema from {@link #compile}
     * @param value the value
     * @param prefix the path of the value in the request ({@code output}), {@code ""} for paths relative to the value
     * @return the failures ({@code path} dotted, {@code prefix} itself for the value's root; {@code keyword};
     *     {@code message}), at most {@link #MAX_ISSUES}, empty when valid
     */
    public static ArrayNode validate(Schema schema, JsonNode value, String prefix) {
        return issues(schema.validate(value), prefix);
    }

    private static ArrayNode issues(List<Error> errors, String prefix) {
        ArrayNode issues = Json.MAPPER.createArrayNode();
        for (Error e : errors) {
            if (issues.size() >= MAX_ISSUES) {
                break;
            }
            String p = dotted(e.getInstanceLocation());
            ObjectNode i = issues.addObject();
            i.put("path", prefix.isEmpty() ? p : p.isEmpty() ? prefix : prefix + "." + p);
            i.put("keyword", e.getMessageKey() == null ? "" : e.getMessageKey());
            i.put("message", bounded(e.getMessage()));
        }
        return issues;
    }

    /**
     * A node path as the wire protocol writes paths: dotted, array indexes as numbers, {@code ""} for the root.
     *
     * @param path the validator's instance location
     * @return the dotted path
     */
    public static String dotted(NodePath path) {
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
        return t.length() > MAX_MESSAGE ? t.substring(0, MAX_MESSAGE) + "…" : t;
    }
}
