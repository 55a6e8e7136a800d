package dev.drep.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NOTES.txt, rendered by a client-only dry-run install (no cluster), tells the user what to do next. */
class InstallNotesTest {

    @Test
    void notesForDefaultValuesPointAtTheMissingPiecesAndTheNextSteps() {
        String notes = install(null);
        assertThat(notes)
                .contains("kubectl -n drep port-forward service/drep-scanner-service 8081:8081")
                .contains("PostgreSQL: external, postgresql:5432/drep")
                .contains("WARNING: database.auth.password is empty")
                .contains("2 llm-gateway replica(s); replicas share the LLM limits and budgets exactly")
                .contains("Enable the Ingress")
                .contains("/api/webhooks/<gitea|github|gitlab>/<repository id>")
                .contains("WARNING: platforms.webhookSecretKey is empty")
                .contains("k8s/README.md")
                // identity: where the generated admin token is and how to make API tokens with it
                .contains("export DREP_TOKEN=$(kubectl -n drep get secret drep-identity -o jsonpath='{.data.admin-token}' | base64 -d)")
                .contains("drep token create --url http://localhost:8081 --name ci --scope reviews:write,jobs:read")
                .contains("/api/tokens")
                .contains("Swagger UI is off");
    }

    @Test
    void notesWithEveryOptionOnNameTheWebhookUrlsAndTheEvaluationComponents() {
        String notes = install(Manifests.ALL_ON_VALUES);
        assertThat(notes)
                .contains("https://drep.example.com/api/webhooks/<gitea|github|gitlab>/<repository id>")
                .contains("Secret drep-platform-tokens")
                .contains("the in-chart EVALUATION instance drep-postgresql")
                .contains("the in-chart EVALUATION Artemis drep-artemis")
                .contains("KEDA ScaledObject drep-analyzer-service")
                .contains("OIDC: access tokens from https://login.example.com/realms/engineering (audience \"drep\")")
                .contains("sign in through https://login.example.com/realms/engineering, client \"drep-dashboard\" with the "
                        + "redirect URI http://localhost:8081/dashboard/callback")
                .doesNotContain("WARNING");
    }

    private static String install(Path values) {
        InstallCommand install = new Helm(Manifests.CHART).install()
                .withName(Manifests.RELEASE).withNamespace(Manifests.NAMESPACE)
                .withDryRunOption(DryRun.CLIENT).clientOnly();
        if (values != null) {
            install = install.withValuesFile(values);
        }
        Release release = install.call();
        String output = release.getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }
}
