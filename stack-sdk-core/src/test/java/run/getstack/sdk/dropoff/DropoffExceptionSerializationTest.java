package run.getstack.sdk.dropoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review: every SDK exception is Serializable (and declares a serialVersionUID); a schema refusal must survive
 * serialisation with its issues, like the others do.
 */
class DropoffExceptionSerializationTest {
    @Test
    void aSchemaRefusalSerialisesWithItsIssues() throws Exception {
        StackDropoffSchemaException e = new StackDropoffSchemaException(
                "the package does not meet the schema",
                422,
                "SCHEMA_VALIDATION_FAILED",
                "req_1",
                List.of(new SchemaIssue("ticket", "integer expected")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            StackDropoffSchemaException back = (StackDropoffSchemaException) in.readObject();
            assertThat(back.issues()).containsExactly(new SchemaIssue("ticket", "integer expected"));
            assertThat(back.getMessage()).isEqualTo(e.getMessage());
        }
    }
}
