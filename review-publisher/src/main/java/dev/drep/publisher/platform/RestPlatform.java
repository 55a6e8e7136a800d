package dev.drep.publisher.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.core.platform.Platform;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every platform adapter does the same way: JSON requests through {@link PlatformHttp} with the
 * adapter's authentication headers, paged lists, and the two ways of posting inline comments with the
 * platform's answers mapped to outcomes (one review for all comments, falling back to one request per
 * comment; or one request per comment from the start). The adapters keep their URLs, request bodies
 * and everything else that differs.
 *
 * <p>Adapters extending this class are {@code @Singleton} beans: an {@code @ApplicationScoped} bean
 * gets a client proxy, which would need a no-argument constructor on this class; the adapters need
 * neither lazy creation nor the proxy (what state they keep is thread-safe).
 */
public abstract class RestPlatform implements ReviewPlatform {
    protected final PlatformHttp http;
    protected final PublisherConfig config;
    private final String name;
    private final Platform platform;
    private final SuggestionStyle suggestionStyle;
    private final String pageSizeParameter;
    private final int pageSize;

    /**
     * @param name              the platform name, as in {@code PullRequestRef.platform}
     * @param suggestionStyle   how the platform's comments write a suggested replacement
     * @param pageSizeParameter the query parameter naming the page size ({@code per_page}, {@code limit})
     * @param pageSize          the page size asked for in lists
     */
    protected RestPlatform(String name, SuggestionStyle suggestionStyle, PlatformHttp http, PublisherConfig config,
            String pageSizeParameter, int pageSize) {
        this.name = name;
        this.platform = Platform.fromId(name).orElseThrow(() -> new IllegalArgumentException("unknown platform " + name));
        this.suggestionStyle = suggestionStyle;
        this.http = http;
        this.config = config;
        this.pageSizeParameter = pageSizeParameter;
        this.pageSize = pageSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SuggestionStyle suggestionStyle() {
        return suggestionStyle;
    }

    /** @return the request headers for {@code target}: the platform's authentication and media type ({@link Platform}) */
    protected Map<String, String> headers(PlatformTarget target) {
        return platform.requestHeaders(target.token());
    }

    /** Sends one request and parses the answer (a JSON null for an empty body). */
    protected JsonNode json(PlatformTarget target, HttpMethod method, String url, Object body) {
        return http.json(http.send(target, method, url, headers(target), body));
    }

    /** @return every item of a paged list (see {@link Pager}) */
    protected List<JsonNode> list(PlatformTarget target, String url) {
        String separator = url.contains("?") ? "&" : "?";
        return Pager.all(page -> json(target, HttpMethod.GET,
                url + separator + pageSizeParameter + "=" + pageSize + "&page=" + page, null),
                pageSize, config.http().maxPages());
    }

    /** @return an empty JSON object for a request body */
    protected ObjectNode object() {
        return http.mapper().createObjectNode();
    }

    /** @return a comment or issue read from its {@code idField}, {@code html_url} and {@code body} */
    protected static PostedItem item(JsonNode node, String idField) {
        return new PostedItem(node.path(idField).asText(), node.path("html_url").asText(null), node.path("body").asText(""));
    }

    /**
     * Posts all comments as one review. A review the platform refuses (400/422) creates nothing, so
     * then each comment is posted alone with {@code alone} to find the ones at fault; a single comment
     * is rejected straight away. Both answers are read for {@code id} and {@code html_url}.
     *
     * @param review posts the review carrying the given comments
     * @param alone  posts one comment by itself (as a plain comment or a review of its own)
     * @throws PlatformException anything but a refusal
     */
    protected static void postAsOneReview(List<InlineComment> comments, Consumer<InlineOutcome> outcomes,
            Function<List<InlineComment>, JsonNode> review, Function<InlineComment, JsonNode> alone) {
        JsonNode posted;
        try {
            posted = review.apply(comments);
        } catch (PlatformException e) {
            if (e.kind() != PlatformException.Kind.REJECTED) {
                throw e;
            }
            if (comments.size() == 1) {
                outcomes.accept(InlineOutcome.rejected(comments.get(0), e.reason()));
                return;
            }
            postOneByOne(comments, outcomes, comment -> posted(comment, alone.apply(comment)));
            return;
        }
        for (InlineComment comment : comments) {
            outcomes.accept(posted(comment, posted));
        }
    }

    /**
     * Posts each comment with its own request; a comment the platform refuses (400/422) is rejected
     * and the others are still posted.
     *
     * @throws PlatformException anything but a refusal
     */
    protected static void postOneByOne(List<InlineComment> comments, Consumer<InlineOutcome> outcomes,
            Function<InlineComment, InlineOutcome> post) {
        for (InlineComment comment : comments) {
            InlineOutcome outcome;
            try {
                outcome = post.apply(comment);
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.REJECTED) {
                    throw e;
                }
                outcome = InlineOutcome.rejected(comment, e.reason());
            }
            outcomes.accept(outcome);
        }
    }

    /** @return what {@code request} answers, or empty when the platform says the thing is gone (404/410) */
    protected static <T> Optional<T> unlessGone(Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static InlineOutcome posted(InlineComment comment, JsonNode answer) {
        return InlineOutcome.posted(comment, answer.path("id").asText(), answer.path("html_url").asText(null));
    }
}
