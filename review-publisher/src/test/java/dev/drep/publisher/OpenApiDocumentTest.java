package dev.drep.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.identity.Scopes;
import dev.drep.publisher.job.StoredReviewResource;
import dev.drep.testsupport.identity.EndpointAccess;
import dev.drep.testsupport.identity.EndpointAccess.Operation;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.openapi.RedoclyLint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The publisher's OpenAPI document describes its internal API with its scopes and errors, passes {@code redocly lint},
 * and every endpoint it lists refuses anonymous callers (401) and callers without its scopes (403) and admits the
 * scanner's service token ({@code publisher:internal}); the stored reviews also take {@code jobs:read}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class OpenApiDocumentTest {

    @Test
    void theDocumentPassesRedoclyLintsRecommendedRules() throws Exception {
        assertThat(RedoclyLint.lintServiceDocument()).isEmpty();
    }

    @Test
    void theDocumentListsEveryResourceMethodWithAnOperationIdItsScopeAndItsErrors() {
        JsonNode document = EndpointAccess.document();
        List<Operation> operations = EndpointAccess.operations(document);

        Set<String> documented = operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented)
                .isEqualTo(EndpointAccess.resourceMethods(StoredReviewResource.class));
        assertThat(operations).allSatisfy(o -> {
            assertThat(o.operationId()).isNotBlank();
            assertThat(o.scopes()).first().isEqualTo(Scopes.PUBLISHER_INTERNAL);
        });
        assertThat(operations.stream().filter(o -> o.operationId().equals("getStoredReview")).findFirst().orElseThrow().scopes())
                .containsExactly(Scopes.PUBLISHER_INTERNAL, Scopes.JOBS_READ);
        assertThat(operations.stream().map(Operation::operationId)).doesNotHaveDuplicates();
        assertThat(document.at("/paths/~1internal~1jobs~1{jobId}~1review/get/responses/404/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/ErrorBody");
    }

    @Test
    void everyDocumentedEndpointRefusesAnonymousCallersAndTokensWithoutItsScopeAndAdmitsTheScanner() {
        List<Operation> operations = EndpointAccess.operations(EndpointAccess.document());

        assertThat(EndpointAccess.check(operations, o -> TestTokens.OUTSIDER, o -> TestTokens.SCANNER_SERVICE)).isEmpty();
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        assertThat(EndpointAccess.checkRefusedTokensAreNotEchoed(EndpointAccess.operations(EndpointAccess.document())))
                .isEmpty();
    }
}
