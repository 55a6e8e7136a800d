import dev.drep.embedded.LocalBroker;
import dev.drep.embedded.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Starts an embedded PostgreSQL and an embedded Artemis broker for running scanner-service alone (load tests),
 * prints the environment the scanner needs as {@code NAME=value} lines followed by {@code READY}, and keeps
 * them up until its standard input closes. Run by {@code reserve-load.sh}; data lives in a temporary folder,
 * deleted when they stop (a load run leaves hundreds of megabytes of PostgreSQL data).
 */
public final class ScannerInfra {
    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("drep-load-infra");
        try {
            run(data);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + data + ": " + e.getMessage());
            }
        }
    }

    private static void run(Path data) throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(data.resolve("postgres"), 0);
                LocalBroker broker = LocalBroker.start(data.resolve("broker"), 0)) {
            System.out.println("DREP_DB_URL=" + postgres.reactiveUrl());
            System.out.println("DREP_DB_JDBC_URL=" + postgres.jdbcUrl());
            System.out.println("DREP_DB_USER=" + LocalPostgres.USER);
            System.out.println("DREP_DB_PASSWORD=" + LocalPostgres.PASSWORD);
            System.out.println("DREP_AMQP_HOST=127.0.0.1");
            System.out.println("DREP_AMQP_PORT=" + broker.port());
            System.out.println("READY");
            System.out.flush();
            // until the script closes our stdin (or dies)
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }
}
