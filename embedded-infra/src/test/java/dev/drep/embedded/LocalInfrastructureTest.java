package dev.drep.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfrastructureTest {

    @Test
    void postgresKeepsDataAcrossRestartsInItsDataFolder(@TempDir Path dir) throws Exception {
        int port;
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0)) {
            port = pg.port();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept(v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), port);
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void brokerAcceptsConnectionsOnItsAmqpPort() throws Exception {
        try (LocalBroker broker = LocalBroker.start(null, 0); Socket socket = new Socket("127.0.0.1", broker.port())) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(broker.messageCount("nothing-here")).isZero();
        }
    }
}
