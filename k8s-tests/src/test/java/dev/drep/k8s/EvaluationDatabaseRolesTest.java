package dev.drep.k8s;

import static dev.drep.k8s.IdentityManifestsTest.properties;
import static dev.drep.k8s.IdentityManifestsTest.secretData;
import static dev.drep.k8s.RenderedManifestsTest.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.embedded.LocalPostgres;
import dev.drep.k8s.Manifests.Rendered;
import dev.drep.k8s.Manifests.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluation PostgreSQL's init script (rendered from the chart with every option on), run by bash and psql
 * against a real PostgreSQL as the image runs it on first start; then each service's Flyway migrations, with the
 * service's own quarkus.flyway settings, as the role the chart gives that service.
 */
class EvaluationDatabaseRolesTest {

    static final List<String> SERVICES = List.of("scanner-service", "analyzer-service", "llm-gateway", "review-publisher");
    static final Path REPOSITORY = Manifests.K8S_DIR.getParent();

    static LocalPostgres postgres;
    /** service -> {username, password} from the Secret the chart renders for it. */
    static final Map<String, Map<String, String>> CREDENTIALS = new LinkedHashMap<>();

    @BeforeAll
    static void runTheInitScript() throws Exception {
        Rendered r = Manifests.rendered(Variant.ALL_ON);
        postgres = LocalPostgres.start(null, 0);
        String script = r.get("ConfigMap", objectName("postgresql") + "-init").path("data")
                .path("10-drep-service-roles.sh").asText();
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        Map<String, String> env = bash.environment();
        env.put("POSTGRES_USER", LocalPostgres.USER);
        env.put("POSTGRES_DB", LocalPostgres.DATABASE);
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", String.valueOf(postgres.port()));
        env.put("PGPASSWORD", LocalPostgres.PASSWORD);
        for (String service : SERVICES) {
            Map<String, String> credentials = secretData(r.get("Secret", objectName(service) + "-db"));
            CREDENTIALS.put(service, credentials);
            env.put("DREP_" + credentials.get("username").toUpperCase() + "_DB_PASSWORD", credentials.get("password"));
        }
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the init script finishes").isTrue();
        assertThat(process.exitValue()).as("the init script: %s", output).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void eachServiceMigratesItsSchemaAsItsOwnRoleAndCannotTouchAnotherSchema() throws Exception {
        for (String service : SERVICES) {
            Properties config = properties(Files.readString(REPOSITORY.resolve(service).resolve("src/main/resources/application.properties")));
            String schema = config.getProperty("quarkus.flyway.schemas");
            Map<String, String> credentials = CREDENTIALS.get(service);
            MigrateResult result = Flyway.configure()
                    .dataSource(postgres.jdbcUrl(), credentials.get("username"), credentials.get("password"))
                    .schemas(schema)
                    .defaultSchema(config.getProperty("quarkus.flyway.default-schema"))
                    .locations("filesystem:" + REPOSITORY.resolve(service).resolve("src/main/resources/db/migration"))
                    .load().migrate();
            assertThat(result.success).as("%s's migrations as role %s", service, credentials.get("username")).isTrue();
            assertThat(result.migrationsExecuted).as("%s's migrations", service).isPositive();
            try (Connection c = connectAs(service); Statement s = c.createStatement()) {
                assertThat(s.executeQuery("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '" + schema + "'")
                        .next()).isTrue();
            }
        }
        for (String service : SERVICES) {
            String own = CREDENTIALS.get(service).get("username");
            try (Connection c = connectAs(service); Statement s = c.createStatement()) {
                for (String other : List.of("scanner", "analyzer", "gateway", "publisher")) {
                    if (other.equals(own)) {
                        continue;
                    }
                    assertThatThrownBy(() -> s.executeQuery("SELECT * FROM " + other + ".flyway_schema_history"))
                            .as("%s reads %s's schema", own, other)
                            .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for schema " + other);
                }
                assertThatThrownBy(() -> s.execute("CREATE TABLE public.stray (id int)"))
                        .as("%s creates in public", own).hasMessageContaining("permission denied for schema public");
                assertThatThrownBy(() -> s.execute("CREATE SCHEMA stray"))
                        .as("%s creates a schema", own).hasMessageContaining("permission denied for database");
            }
        }
    }

    private static Connection connectAs(String service) throws SQLException {
        Map<String, String> credentials = CREDENTIALS.get(service);
        return DriverManager.getConnection(postgres.jdbcUrl(), credentials.get("username"), credentials.get("password"));
    }
}
