package dev.drep.scanner.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.ReservationState;
import dev.drep.contracts.ReservationView;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservations are stored one row per reserve call (migration V12_3); each reservation still lives on its own: a
 * renew, release or repeated reserve of some of one call's reservations leaves the others as they were, ids never
 * change, and the reservations stored before the change are carried over unchanged.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReservationSetsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ReservationService service;

    @Inject
    ReservationStore store;

    @Inject
    Pool pool;

    @Inject
    DataSource dataSource;

    ShiftedClock clock;
    String repo;

    @BeforeEach
    void freshRepositoryAndClock() {
        clock = new ShiftedClock();
        QuarkusMock.installMockForType(clock, ReservationClock.class);
        repo = "acme-" + UUID.randomUUID() + "/sets";
    }

    @Test
    void renewingReleasingAndReservingAgainSomeReservationsOfOneCallLeavesTheOthersAsTheyWere() {
        Map<String, ReservationView> first = byPattern(reserve("alice", List.of("a/**", "b/**", "c/**", "d/**", "e/**"),
                600, "first").granted());
        assertThat(first).hasSize(5);
        assertThat(first.values()).extracting(ReservationView::id).doesNotHaveDuplicates();

        clock.advance(Duration.ofSeconds(60));
        RenewResult renewed = service.renew(repo, new RenewRequest("alice",
                List.of(first.get("b/**").id(), first.get("d/**").id()), null, 1800)).await().atMost(WAIT);
        assertThat(renewed.renewed()).extracting(ReservationView::pattern).containsExactly("b/**", "d/**");
        ReleaseResult released = service.release(repo, new ReleaseRequest("alice", null, List.of("c/**")))
                .await().atMost(WAIT);
        assertThat(released.released()).extracting(ReservationView::id).containsExactly(first.get("c/**").id());

        clock.advance(Duration.ofSeconds(60));
        ReserveResult again = reserve("alice", List.of("a/**", "e/**", "f/**"), 3600, "again");
        Map<String, ReservationView> second = byPattern(again.granted());
        assertThat(second.get("a/**").id()).isEqualTo(first.get("a/**").id());
        assertThat(second.get("e/**").id()).isEqualTo(first.get("e/**").id());
        assertThat(second.get("f/**").id()).isNotIn(first.values().stream().map(ReservationView::id).toList());
        Instant againExpires = second.get("f/**").expiresAt();

        Map<String, ReservationView> all = byPattern(service.list(repo, "all", null, null).await().atMost(WAIT)
                .reservations());
        assertThat(all).hasSize(6);
        for (String pattern : List.of("a/**", "e/**")) {
            assertThat(all.get(pattern).reason()).as(pattern).isEqualTo("again");
            assertThat(all.get(pattern).expiresAt()).as(pattern).isEqualTo(againExpires);
            assertThat(all.get(pattern).state()).as(pattern).isEqualTo(ReservationState.ACTIVE);
        }
        for (String pattern : List.of("b/**", "d/**")) {
            assertThat(all.get(pattern).reason()).as(pattern).isEqualTo("first");
            assertThat(all.get(pattern).expiresAt()).as(pattern)
                    .isEqualTo(first.get(pattern).expiresAt().plusSeconds(1800));
            assertThat(all.get(pattern).renewedAt()).as(pattern).isEqualTo(renewed.renewed().get(0).renewedAt());
        }
        assertThat(all.get("c/**").state()).isEqualTo(ReservationState.RELEASED);
        assertThat(all.get("c/**").expiresAt()).isEqualTo(first.get("c/**").expiresAt());
        assertThat(all.get("f/**").reason()).isEqualTo("again");
        for (ReservationView listed : all.values()) {
            assertThat(service.get(repo, listed.id()).await().atMost(WAIT)).as(listed.pattern()).isEqualTo(listed);
        }

        // another holder meets each of them as a reservation of its own: the released one no longer
        ReserveResult bob = reserve("bob", List.of("a/x", "b/x", "c/x", "d/x"), 600, null);
        assertThat(bob.conflicts()).extracting(conflict -> conflict.reservation().pattern())
                .containsExactly("a/**", "b/**", "d/**");

        // the live reservations come in the order of "ORDER BY created_at, id", as one row each did: the matchers are
        // cached by that order, and the conflicts follow it
        List<UUID> live = store.active(store.client(), repo, clock.now()).await().atMost(WAIT).stream()
                .map(listed -> listed.reservation().id()).toList();
        List<UUID> ordered = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM scanner.reservation WHERE repository = $1 AND ended_at IS NULL"
                + " ORDER BY created_at, id").execute(Tuple.of(repo)).await().atMost(WAIT)
                .forEach(row -> ordered.add(row.getUUID("id")));
        assertThat(live).hasSize(9).isEqualTo(ordered);

        // releasing everything of alice's by id: the one released before is reported, not released again
        ReleaseResult rest = service.release(repo, new ReleaseRequest("alice",
                all.values().stream().map(ReservationView::id).toList(), null)).await().atMost(WAIT);
        assertThat(rest.released()).extracting(ReservationView::pattern)
                .containsExactlyInAnyOrder("a/**", "b/**", "d/**", "e/**", "f/**");
        assertThat(rest.notReleased()).extracting(Unchanged::pattern).containsExactly("c/**");
        assertThat(service.list(repo, "active", "alice", null).await().atMost(WAIT).reservations()).isEmpty();
    }

    @Test
    void reservationsStoredBeforeSetsAreCarriedOverWithTheirIdsAndStates() throws Exception {
        String schema = "carry_" + UUID.randomUUID().toString().replace("-", "");
        Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID active = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        UUID forced = UUID.fromString("0190aaaa-bbbb-4ccc-8ddd-eeeeeeee0000");
        try {
            // Flyway takes connections of its own from the (small) pool: none is held while it migrates
            migrate(schema, "12.1");
            Map<UUID, List<Object>> before;
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".reservation (id,"
                            + " repository, holder, pattern, exclusive, reason, created_at, renewed_at, expires_at,"
                            + " ended_at, ended_by, end_kind, end_note) VALUES (?, 'acme/docs', ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            + " ?, ?)")) {
                insertOld(insert, active, "alice", "docs/**", true, "rewrite", created, null, null, null, null);
                insertOld(insert, released, "alice", "src/api", false, null, created, created.plusSeconds(5),
                        "alice", "RELEASED", null);
                insertOld(insert, forced, "bob", "*.md", true, null, created, created.plusSeconds(9), "carol",
                        "FORCE_RELEASED", "bob left");
                before = rows(connection, schema);
            }

            migrate(schema, null);
            try (Connection connection = dataSource.getConnection()) {
                assertThat(rows(connection, schema)).isEqualTo(before);
                // and they are changed by id as before
                try (PreparedStatement end = connection.prepareStatement("SELECT id, end_kind FROM " + schema
                        + ".reservation_end(?::uuid[], now(), 'alice', 'RELEASED', NULL)")) {
                    end.setArray(1, connection.createArrayOf("uuid", new Object[] {active, released}));
                    try (ResultSet ended = end.executeQuery()) {
                        assertThat(ended.next()).isTrue();
                        assertThat(ended.getObject("id")).isEqualTo(active);
                        assertThat(ended.next()).as("the released one is not ended again").isFalse();
                    }
                }
            }
        } finally {
            try (Connection connection = dataSource.getConnection(); Statement drop = connection.createStatement()) {
                drop.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void migrate(String schema, String target) {
        var configuration = Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema)
                .locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static void insertOld(PreparedStatement insert, UUID id, String holder, String pattern, boolean exclusive,
            String reason, Instant created, Instant ended, String endedBy, String endKind, String note)
            throws Exception {
        insert.setObject(1, id);
        insert.setString(2, holder);
        insert.setString(3, pattern);
        insert.setBoolean(4, exclusive);
        insert.setString(5, reason);
        insert.setTimestamp(6, Timestamp.from(created));
        insert.setTimestamp(7, Timestamp.from(created.plusSeconds(1)));
        insert.setTimestamp(8, Timestamp.from(created.plusSeconds(3600)));
        insert.setTimestamp(9, ended == null ? null : Timestamp.from(ended));
        insert.setString(10, endedBy);
        insert.setString(11, endKind);
        insert.setString(12, note);
        insert.executeUpdate();
    }

    /** @return every reservation of the schema, by id: its columns as the old table had them */
    private static Map<UUID, List<Object>> rows(Connection connection, String schema) throws Exception {
        Map<UUID, List<Object>> rows = new LinkedHashMap<>();
        try (Statement select = connection.createStatement();
                ResultSet result = select.executeQuery("SELECT id, repository, holder, pattern, exclusive, reason,"
                        + " created_at, renewed_at, expires_at, ended_at, ended_by, end_kind, end_note FROM " + schema
                        + ".reservation ORDER BY id")) {
            while (result.next()) {
                List<Object> columns = new ArrayList<>();
                for (int i = 2; i <= 13; i++) {
                    columns.add(result.getObject(i));
                }
                rows.put((UUID) result.getObject(1), columns);
            }
        }
        assertThat(rows).hasSize(3);
        return rows;
    }

    private ReserveResult reserve(String holder, List<String> paths, int ttlSeconds, String reason) {
        return service.reserve(repo, new ReserveRequest(holder, paths, true, ttlSeconds, reason, null))
                .await().atMost(WAIT);
    }

    private static Map<String, ReservationView> byPattern(List<ReservationView> views) {
        return views.stream().collect(Collectors.toMap(ReservationView::pattern, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }
}
