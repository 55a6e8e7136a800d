package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackState;
import dev.drep.launcher.stack.StateFile;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code drep up} stack pointed at a {@link GiteaFake} (and at a fake LLM provider where a test needs the model),
 * as the end-to-end tests of pull-request jobs start it once per class: {@code drep up} in {@code @BeforeAll},
 * {@link #close()} ({@code drep down}, the fakes stopped) in {@code @AfterAll}, and the calls these tests make of it
 * in between (the scanner's API with the stack's admin token, signed webhooks).
 */
final class GiteaStack implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestHttpClient HTTP = TestHttpClient.create();

    private final Path work;
    private final GiteaFake gitea;
    private final FakeLlmServer llm;
    private final Drep drep;
    private JsonNode registered;

    private GiteaStack(Path work, GiteaFake gitea, FakeLlmServer llm, Drep drep) {
        this.work = work;
        this.gitea = gitea;
        this.llm = llm;
        this.drep = drep;
    }

    /** @param repository owner/name of the one repository the Gitea fake knows */
    static Builder of(String repository) {
        return new Builder(repository);
    }

    /** What the stack is started with on top of the Gitea fake's variables. */
    static final class Builder {
        private final String repository;
        private final Map<String, String> variables = new HashMap<>();
        private FakeLlmServer llm;

        private Builder(String repository) {
            this.repository = repository;
        }

        /** An environment variable for the stack's services. */
        Builder withVariable(String name, String value) {
            variables.put(name, value);
            return this;
        }

        /** The stack's LLM provider (its default model), closed with the stack. */
        Builder withLlm(FakeLlmServer llm) {
            this.llm = llm;
            variables.put("DREP_LLM_BASE_URL", llm.baseUrl());
            variables.put("DREP_LLM_MODEL", FakeLlmServer.DEFAULT_MODEL);
            return this;
        }

        /** Starts the Gitea fake and {@code drep up --free-ports} with its data in {@code work/data}. */
        GiteaStack up(Path work) {
            GiteaFake gitea = GiteaFake.start(repository);
            Map<String, String> all = new HashMap<>(gitea.stackVariables(
                    "e2e-webhook-key-" + repository.replace('/', '-') + "-0123456789abcdef"));
            all.putAll(variables);
            GiteaStack stack = new GiteaStack(work, gitea, llm, new Drep(work.resolve("data"), all));
            try {
                Drep.Run up = stack.drep.run(work, "up", "--free-ports");
                assertThat(up.exitCode()).as("drep up: %s%n%s", up.out(), up.err()).isZero();
            } catch (RuntimeException | Error e) {
                stack.close();
                throw e;
            }
            return stack;
        }
    }

    GiteaFake gitea() {
        return gitea;
    }

    Drep drep() {
        return drep;
    }

    /** The client the stack is called with. */
    static TestHttpClient http() {
        return HTTP;
    }

    /**
     * Registers {@code origin} as the Gitea fake's repository, the one webhooks are delivered for unless a call names
     * another.
     *
     * @return the scanner's answer (id, webhook path and secret)
     */
    JsonNode register(Path origin) throws Exception {
        registered = call("POST", "/api/repositories", gitea.registration(origin), 201);
        return registered;
    }

    /** The scanner's id of the repository {@link #register registered}. */
    String repositoryId() {
        return registered.path("id").asText();
    }

    /** A call of the scanner's API with the stack's admin token, answering {@code expected}. */
    JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return call(ServiceKind.SCANNER, method, path, body, expected);
    }

    /** A call of {@code service}'s API with the stack's admin token, answering {@code expected}. */
    JsonNode call(ServiceKind service, String method, String path, Object body, int expected) throws Exception {
        return StackCalls.call(HTTP, work.resolve("data"), url(service), method, path, body, expected);
    }

    URI scanner() {
        return url(ServiceKind.SCANNER);
    }

    URI url(ServiceKind service) {
        return URI.create(service(service).url());
    }

    StackState.Service service(ServiceKind kind) {
        StackState state = new StateFile(work.resolve("data").resolve("stack.json")).read().orElseThrow();
        return state.service(kind).orElseThrow();
    }

    /** Delivers Gitea's signed "pull request opened" webhook for the registered repository. */
    HttpResponse<String> deliverPullRequestOpened(int number, String base, String head) throws Exception {
        return gitea.deliverPullRequestOpened(HTTP, scanner(), registered, number, base, head);
    }

    /** Delivers a signed pull request comment, a new delivery, for the registered repository. */
    HttpResponse<String> deliverComment(String body) throws Exception {
        return deliverComment(UUID.randomUUID().toString(), body);
    }

    /** Delivers a signed pull request comment as delivery {@code delivery} for the registered repository. */
    HttpResponse<String> deliverComment(String delivery, String body) throws Exception {
        return deliverComment(registered, delivery, body);
    }

    /**
     * Delivers a signed pull request comment as delivery {@code delivery} for {@code repository}, the scanner's
     * answer to its registration.
     */
    HttpResponse<String> deliverComment(JsonNode repository, String delivery, String body) throws Exception {
        return GiteaFake.deliverComment(HTTP, scanner(), repository, delivery, body);
    }

    /** Delivers {@code body} signed for {@code repository}, with Gitea's headers for {@code event} of {@code eventType}. */
    HttpResponse<String> deliver(JsonNode repository, String event, String eventType, String body) throws Exception {
        return GiteaFake.deliver(HTTP, scanner(), repository, event, eventType, UUID.randomUUID().toString(), body);
    }

    /** Checks that a webhook's answer started a job (202), and waits up to three minutes for the job to be DONE. */
    void awaitDone(HttpResponse<String> delivered) throws Exception {
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        awaitDone(JSON.readTree(delivered.body()).path("jobId").asText());
    }

    /** Waits up to three minutes for job {@code jobId} to end, and checks that it is DONE. */
    void awaitDone(String jobId) throws Exception {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText(),
                        s -> s.equals("DONE") || s.equals("FAILED"));
        assertThat(call("GET", "/api/jobs/" + jobId, null, 200).path("status").asText()).isEqualTo("DONE");
    }

    /** {@code drep down}, then the fakes stopped. */
    @Override
    public void close() {
        try {
            drep.run(work, "down");
        } finally {
            gitea.close();
            if (llm != null) {
                llm.close();
            }
        }
    }
}
