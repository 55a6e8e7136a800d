package dev.drep.scanner.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git smart-HTTP server for tests (fetch only), on the JDK's HTTP server and JGit's {@link UploadPack}:
 * real git transport over HTTP with basic authentication, as Gitea, GitHub and GitLab serve it.
 */
final class SmartHttpGitServer implements AutoCloseable {
    private final HttpServer server;
    private final Repository repository;
    private final String user;
    private final String password;
    /** the user names of every authorization header received, accepted or not */
    final List<String> usersSeen = new CopyOnWriteArrayList<>();

    SmartHttpGitServer(Path bareRepository, String user, String password) throws IOException {
        this.repository = new FileRepositoryBuilder().setGitDir(bareRepository.toFile()).setMustExist(true).build();
        this.user = user;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/repo.git/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            if (path.endsWith("/info/refs") && "service=git-upload-pack".equals(query)) {
                exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
                exchange.getResponseHeaders().add("Cache-Control", "no-cache");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    PacketLineOut packets = new PacketLineOut(out);
                    packets.writeString("# service=git-upload-pack\n");
                    packets.end();
                    UploadPack upload = new UploadPack(repository);
                    upload.setBiDirectionalPipe(false);
                    upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
                }
            } else if (path.endsWith("/git-upload-pack") && "POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
                exchange.sendResponseHeaders(200, 0);
                InputStream in = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    in = new GZIPInputStream(in);
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    UploadPack upload = new UploadPack(repository);
                    upload.setBiDirectionalPipe(false);
                    upload.upload(in, out, null);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String givenUser = colon < 0 ? decoded : decoded.substring(0, colon);
        usersSeen.add(givenUser);
        return colon >= 0 && givenUser.equals(user) && decoded.substring(colon + 1).equals(password);
    }

    @Override
    public void close() {
        server.stop(0);
        repository.close();
    }
}
