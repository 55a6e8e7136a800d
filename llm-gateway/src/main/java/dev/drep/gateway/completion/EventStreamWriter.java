package dev.drep.gateway.completion;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a streamed answer ({@link EventStream}, the entity of a {@code stream: true} response) to its client frame
 * by frame, without a thread: the next frame is asked for once the previous one is written, and a client that goes
 * away cancels the frames (and so the provider call) at once.
 *
 * <p>Why a writer and not {@code RestMulti}: one resource method answers both kinds of request (which kind is in
 * the body, which JAX-RS cannot match on), and RESTEasy chooses between a {@code Uni} and a {@code Multi} answer by
 * the method's declared return type. The method returns {@code Uni<Response>}: a whole answer is a plain JSON
 * response, and only a streamed one comes here.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class EventStreamWriter implements ServerMessageBodyWriter<EventStreamWriter.EventStream> {

    private static final Logger LOG = Logger.getLogger(EventStreamWriter.class);

    /**
     * The frames of a streamed answer, as the response's entity.
     *
     * @param frames server-sent events, each complete ({@code data: ...} and a blank line)
     */
    public record EventStream(Multi<String> frames) {
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return EventStream.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return EventStream.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(EventStream stream, Type genericType, ServerRequestContext context) {
        ServerHttpResponse response = context.serverResponse();
        response.setChunked(true);
        stream.frames().subscribe().withSubscriber(new FrameWriter(response));
    }

    @Override
    public void writeTo(EventStream stream, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) {
        throw new UnsupportedOperationException("an event stream is written by writeResponse only");
    }

    /** Writes one frame at a time to the client; ends the response with the frames. */
    private static final class FrameWriter implements MultiSubscriber<String> {
        private final ServerHttpResponse response;
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        FrameWriter(ServerHttpResponse response) {
            this.response = response;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            // A client that leaves cancels the frames: the provider call is closed and its slot freed (StreamRelay).
            response.addCloseHandler(s::cancel);
            if (response.closed()) {
                s.cancel();
                return;
            }
            s.request(1);
        }

        @Override
        public void onItem(String frame) {
            response.write(frame.getBytes(StandardCharsets.UTF_8), failure -> {
                if (failure == null) {
                    subscription.get().request(1);
                } else {
                    // The client is gone: nothing to tell it, and the frames are cancelled by its close.
                    LOG.debugf("A streamed answer's client went away: %s", failure.toString());
                    subscription.get().cancel();
                }
            });
        }

        @Override
        public void onFailure(Throwable failure) {
            // The frames turn a provider's failure into an error event; anything else is a fault of the gateway.
            LOG.error("A streamed answer failed before its end; its connection is closed", failure);
            if (!response.closed()) {
                response.reset();
            }
        }

        @Override
        public void onCompletion() {
            if (!response.closed()) {
                response.end();
            }
        }
    }
}
