package dev.drep.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Set;
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
