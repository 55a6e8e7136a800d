package dev.drep.gateway.load;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The JVM's floor for one hop, the peer {@link GatewayHopRun} measures beside nginx: a bare reverse proxy written
 * with the same Vert.x and Netty the gateway runs on (no Quarkus, no security, tracing, metrics, parsing or limits).
 * It reads the whole request, sends it to the provider on a pooled keep-alive connection, and answers with the
 * provider's body, on as many event loops as the gateway has by default (two per CPU). What the gateway adds beyond
 * this is the cost of everything it does per request.
 *
 * <p>{@code java -cp <test classpath> dev.drep.gateway.load.VertxHopFloor <port> <providerPort>}
 */
public final class VertxHopFloor {

    private VertxHopFloor() {
    }

    /**
     * @param args the port to listen on (127.0.0.1) and the provider's port (127.0.0.1, path
     *             {@code /v1/chat/completions})
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int providerPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        HttpClient provider = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1000).setKeepAlive(true));
        RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(providerPort)
                .setURI("/v1/chat/completions").putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> request.body()
                        .compose(body -> provider.request(call).compose(out -> out.send(body)))
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
                .onSuccess(server -> System.out.println("Vert.x floor listening on " + server.actualPort()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }
}
