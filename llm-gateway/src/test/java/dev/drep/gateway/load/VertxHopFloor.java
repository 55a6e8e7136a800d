package dev.drep.gateway.load;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.IntStream;

/**
 * The JVM's floor for one hop, the peer {@link GatewayHopRun} measures beside nginx: a bare reverse proxy written
 * with the same Vert.x and Netty the gateway runs on (no Quarkus, no security, tracing, metrics, parsing or limits).
 * It reads the whole request, sends it to the provider on a pooled keep-alive connection, and answers with the
 * provider's body, on as many event loops as the gateway has by default (two per CPU). What the gateway adds beyond
 * this is the cost of everything it does per request.
 *
 * <p>With a third argument it spends that many microseconds of CPU on each request before passing it on (a busy
 * wait on the event loop): the floor of a proxy that does that much work per request, to tell what the added
 * latency's tail does as the work per request grows ({@code hop.sh floor-work-us=120}).
 *
 * <p>A fourth argument sets the number of event loops (one server on each); without it, or 0, there are two per CPU,
 * as in the gateway. (Until session 14 the floor was one server created outside a verticle, which Vert.x serves on
 * one event loop: it was a one-thread floor.)
 *
 * <p>A fifth argument gives each request real work instead of a busy wait, which takes as long whatever else the CPU
 * runs: that many rounds of parsing a chat completion request of about 6 KB into JSON objects, writing it back and
 * hashing it (SHA-256), the kind of work the gateway does per request, which allocates and reads memory and so
 * slows when the caches are shared ({@code hop.sh floor-json-rounds=20}).
 *
 * <p>{@code java -cp <test classpath> dev.drep.gateway.load.VertxHopFloor <port> <providerPort> [workMicros]
 * [eventLoops] [jsonRounds]}
 */
public final class VertxHopFloor {

    private VertxHopFloor() {
    }

    /**
     * @param args the port to listen on (127.0.0.1), the provider's port (127.0.0.1, path
     *             {@code /v1/chat/completions}) and, optionally, the microseconds of CPU to spend per request and
     *             the event loops
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int providerPort = Integer.parseInt(args[1]);
        long workNanos = args.length > 2 ? Long.parseLong(args[2]) * 1_000 : 0;
        // Vert.x's default, and the gateway's: two event loops per CPU the JVM sees
        int eventLoops = args.length > 3 && Integer.parseInt(args[3]) > 0 ? Integer.parseInt(args[3])
                : 2 * Runtime.getRuntime().availableProcessors();
        int jsonRounds = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(providerPort)
                .setURI("/v1/chat/completions").putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        // one server per event loop on the same port (Vert.x spreads the connections over them), each with its own
        // keep-alive pool to the provider, as the gateway has one per event loop
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                HttpClient provider = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1000)
                        .setKeepAlive(true));
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                        .requestHandler(request -> request.body()
                                .compose(body -> {
                                    work(workNanos);
                                    parse(jsonRounds);
                                    return provider.request(call).compose(out -> out.send(body));
                                })
                                .compose(answer -> answer.body())
                                .onComplete(answered -> {
                                    if (answered.succeeded()) {
                                        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                                .end(answered.result());
                                    } else {
                                        request.response().setStatusCode(502).end(Buffer.buffer());
                                    }
                                }))
                        .listen()
                        .<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(eventLoops))
                .onSuccess(id -> System.out.println("Vert.x floor listening on " + port + ", " + eventLoops
                        + " event loops"))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    /** A chat completion request of about 6 KB: 40 messages of a conversation. */
    private static final Buffer DOCUMENT = Buffer.buffer(new JsonObject().put("model", "default")
            .put("max_tokens", 256)
            .put("messages", new JsonArray(IntStream.range(0, 40).mapToObj(i -> new JsonObject()
                    .put("role", i % 2 == 0 ? "user" : "assistant")
                    .put("content", "Review line " + i + " of the change: int total = count * price + " + i
                            + "; // the price comes from the catalogue, the count from the basket"))
                    .toList())).encode());

    /** The last request's work's digest (its first byte): see {@link #parse}. */
    private static volatile byte digestSink;

    /** Parses {@link #DOCUMENT}, writes it back and hashes it, {@code rounds} times. */
    private static void parse(int rounds) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < rounds; i++) {
                sha256.update(new JsonObject(DOCUMENT).toBuffer().getBytes());
            }
            // read by nobody: a result the JIT cannot prove unused keeps the work from being optimised away
            digestSink = sha256.digest()[0];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the event loop busy for {@code nanos}, as work per request would. */
    private static void work(long nanos) {
        long until = System.nanoTime() + nanos;
        while (nanos > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
