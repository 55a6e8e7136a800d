package dev.drep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** The official SARIF 2.1.0 JSON schema, loaded from the class path (no network). */
final class SarifSchema {
    static final String SCHEMA_ID =
            "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

    private static final JsonSchema SCHEMA = load();

    private SarifSchema() {
    }

    private static JsonSchema load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder -> builder
                .schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_ID, "classpath:sarif/sarif-schema-2.1.0.json"))
                .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
        return factory.getSchema(SchemaLocation.of(SCHEMA_ID),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    /** @return the schema violations, empty when the document is valid SARIF 2.1.0 */
    static Set<String> violations(JsonNode sarif) {
        return SCHEMA.validate(sarif).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
