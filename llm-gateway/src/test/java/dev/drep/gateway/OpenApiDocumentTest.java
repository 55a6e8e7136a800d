package dev.drep.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.drep.gateway.completion.ChatCompletionResponse;
import dev.drep.gateway.completion.ChatCompletionRoute;
import dev.drep.gateway.model.ModelsResource;
import dev.drep.identity.Scopes;
import dev.drep.testsupport.identity.EndpointAccess;
import dev.drep.testsupport.identity.EndpointAccess.Operation;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.openapi.RedoclyLint;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The gateway's OpenAPI document describes every endpoint with its scope and its errors in OpenAI's shape, passes
 * {@code redocly lint}, and every endpoint it lists refuses anonymous callers (401) and callers without its scope (403)
 * and admits its scope. No provider is called.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class OpenApiDocumentTest extends GatewayTestBase {
    @Inject
    RegisteredRoutes routes;
    /** The application's own, as it writes the answers. */
    @Inject
    ObjectMapper json;
    /**
     * The schemas {@code META-INF/openapi.yaml} writes by hand for the chat-completion route, with the records they
     * describe.
     */
    private static final Map<String, Class<?>> HAND_WRITTEN_SCHEMAS = Map.of(
            "ChatCompletionResponse", ChatCompletionResponse.class,
            "ChatCompletionChoice", ChatCompletionResponse.Choice.class,
            "ChatCompletionMessage", ChatCompletionResponse.Message.class,
            "Usage", ChatCompletionResponse.Usage.class);
    /** The test callers with exactly one scope (application.properties, %test). */
    private static final Map<String, String> TOKEN_WITH = Map.of(Scopes.LLM_USE, TestTokens.LLM_USER,
            Scopes.USAGE_READ, TestTokens.USAGE_READER, Scopes.ADMIN, TestTokens.ADMIN);

    @Test
    void theDocumentPassesRedoclyLintsRecommendedRules() throws Exception {
        assertThat(RedoclyLint.lintServiceDocument()).isEmpty();
    }

    @Test
    void theDocumentListsEveryResourceMethodWithAnOperationIdItsScopeAndOpenAiShapedErrors() {
        JsonNode document = EndpointAccess.document();
        List<Operation> operations = EndpointAccess.operations(document);

        Set<String> documented = operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> served = new TreeSet<>(EndpointAccess.resourceMethods(ModelsResource.class));
        served.addAll(routes.operations());
        assertThat(routes.operations()).contains("POST " + ChatCompletionRoute.PATH);
        assertThat(documented).isEqualTo(served);
        assertThat(operations).allSatisfy(o -> {
            assertThat(o.operationId()).isNotBlank();
            assertThat(o.secured()).isTrue();
        });
        assertThat(operations.stream().map(Operation::operationId)).doesNotHaveDuplicates();
        JsonNode completions = document.at("/paths/~1v1~1chat~1completions/post");
        assertThat(completions.at("/security/0/bearer/0").asText()).isEqualTo(Scopes.LLM_USE);
        assertThat(completions.at("/responses").fieldNames()).toIterable().contains("200", "400", "401", "403", "429");
        assertThat(completions.at("/responses/401/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/OpenAiError");
        assertThat(document.at("/components/securitySchemes/bearer/bearerFormat").asText()).contains("opaque");
    }

    @Test
    void theChatCompletionSchemasListExactlyTheJsonPropertiesOfTheRecordsTheyDescribe() {
        JsonNode document = EndpointAccess.document();
        JsonNode schemas = document.at("/components/schemas");
        assertThat(document.at("/paths/~1v1~1chat~1completions/post/responses/200/content/application~1json/schema/$ref")
                .asText()).isEqualTo(ref("ChatCompletionResponse"));
        assertThat(HAND_WRITTEN_SCHEMAS.values()).as("every record the answer nests is documented")
                .containsAll(Arrays.stream(ChatCompletionResponse.class.getDeclaredClasses()).filter(Class::isRecord)
                        .toList());

        HAND_WRITTEN_SCHEMAS.forEach((name, record) -> {
            JsonNode properties = schemas.path(name).path("properties");
            Set<String> documented = new TreeSet<>();
            properties.fieldNames().forEachRemaining(documented::add);
            assertThat(documented).as("the properties of schema %s, as Jackson writes %s", name, record.getName())
                    .isEqualTo(jsonProperties(record).keySet());
            // a property holding another documented record refers to its schema
            jsonProperties(record).forEach((property, type) -> HAND_WRITTEN_SCHEMAS.forEach((other, nested) -> {
                if (nested.equals(type)) {
                    assertThat(properties.path(property).path("$ref").asText()).as("%s.%s", name, property)
                            .isEqualTo(ref(other));
                }
            }));
        });
        // choices is a List<?> (the provider's own choices may be passed on): its items are documented as a Choice
        assertThat(schemas.at("/ChatCompletionResponse/properties/choices/items/$ref").asText())
                .isEqualTo(ref("ChatCompletionChoice"));
    }

    /** @return the properties Jackson writes for {@code type}, with their declared classes, by name */
    private Map<String, Class<?>> jsonProperties(Class<?> type) {
        BeanDescription bean = json.getSerializationConfig().introspect(json.constructType(type));
        return bean.findProperties().stream().filter(BeanPropertyDefinition::couldSerialize)
                .collect(Collectors.toMap(BeanPropertyDefinition::getName, BeanPropertyDefinition::getRawPrimaryType,
                        (a, b) -> a, TreeMap::new));
    }

    private static String ref(String schema) {
        return "#/components/schemas/" + schema;
    }

    @Test
    void everyDocumentedEndpointRefusesAnonymousCallersAndTokensWithoutItsScopeAndAdmitsItsScope() {
        List<Operation> operations = EndpointAccess.operations(EndpointAccess.document());

        assertThat(EndpointAccess.check(operations, o -> TestTokens.OUTSIDER, o -> TOKEN_WITH.get(o.scopes().get(0))))
                .isEmpty();
        assertThat(llm.requests()).isEmpty();
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        assertThat(EndpointAccess.checkRefusedTokensAreNotEchoed(EndpointAccess.operations(EndpointAccess.document())))
                .isEmpty();
    }
}
