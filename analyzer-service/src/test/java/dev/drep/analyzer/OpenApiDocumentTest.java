package dev.drep.analyzer;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.testsupport.identity.EndpointAccess;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.openapi.RedoclyLint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The analyzer serves no API of its own: its OpenAPI document lists no operation, which is true only while it has no
 * JAX-RS resource (an endpoint added later must appear in the document, and then is checked like the other services').
 * The document passes {@code redocly lint} and, like every document, needs a token.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(FakeGatewayResource.class)
class OpenApiDocumentTest {

    @Test
    void theDocumentPassesRedoclyLintsRecommendedRules() throws Exception {
        assertThat(RedoclyLint.lintServiceDocument()).isEmpty();
    }

    @Test
    void theDocumentListsNoOperationBecauseTheAnalyzerHasNoResourceMethod() {
        assertThat(EndpointAccess.operations(EndpointAccess.document())).isEmpty();
        // the analyzer's only @Path type is GatewayApi, a REST client interface: not an endpoint
        assertThat(EndpointAccess.resourceMethods(AnalyzerConfig.class)).isEmpty();
    }

    @Test
    void theDocumentNeedsAToken() {
        anonymous().when().get("/q/openapi").then().statusCode(401);
    }
}
