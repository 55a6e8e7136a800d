package dev.drep.gateway.completion;

import dev.drep.gateway.metadata.DrepMetadata;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible and non-streaming, so any OpenAI client
 * (the analyzer included) can use the gateway by changing its base URL. drep services add
 * {@code X-Drep-*} headers; other clients need not.
 *
 * <p>The body is taken as text for whatever {@code Content-Type} the client sent, and parsed by
 * {@link ChatCompletionParser}: framework binding would answer malformed input in its own shape.
 * The method blocks (the provider call is synchronous), so Quarkus runs it on a worker thread.
 */
@Path("/v1/chat/completions")
public class ChatCompletionResource {

    private final ChatCompletionParser parser;
    private final CompletionService service;

    /**
     * @param parser  reads and validates the body
     * @param service runs the completion
     */
    public ChatCompletionResource(ChatCompletionParser parser, CompletionService service) {
        this.parser = parser;
        this.service = service;
    }

    /**
     * @param body       the OpenAI chat-completion request
     * @param repository {@code X-Drep-Repository}
     * @param job        {@code X-Drep-Job}
     * @param priority   {@code X-Drep-Priority}: {@code interactive} or {@code batch} (default)
     * @param taskClass  {@code X-Drep-Task-Class}, e.g. {@code simple} or {@code complex}
     * @return the completion in OpenAI's format
     */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public ChatCompletionResponse complete(String body,
            @RestHeader(DrepMetadata.REPOSITORY_HEADER) String repository,
            @RestHeader(DrepMetadata.JOB_HEADER) String job,
            @RestHeader(DrepMetadata.PRIORITY_HEADER) String priority,
            @RestHeader(DrepMetadata.TASK_CLASS_HEADER) String taskClass) {
        DrepMetadata metadata = DrepMetadata.fromHeaders(repository, job, priority, taskClass);
        return service.complete(parser.parse(body), metadata);
    }
}
