package dev.drep.scanner.reservation;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrent reserves of overlapping exclusive patterns by two holders. The invariant: the calls behave as if
 * they had run one after the other in the order of their grant times, i.e. every call reports exactly the other
 * holder's reservations granted before it. In particular only one holder can ever get a conflict-free grant
 * (those of its calls that came before the other holder's first), so two holders are never both told that
 * they hold overlapping exclusive patterns alone.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class ReservationRaceTest {
    private static final int CALLS = 20;
    private static final int ROUNDS = 3;

    @TestHTTPResource("/")
    URL base;

    private record Call(String holder, String id, Instant grantedAt, Set<String> conflictIds) {
    }

    @Test
    void twentyConcurrentReservesFromTwoHoldersAreSerialized() throws Exception {
        TestHttpClient http = TestHttpClient.create();
        ExecutorService threads = Executors.newFixedThreadPool(CALLS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                checkRound(http, threads, "race-" + UUID.randomUUID() + "/repo");
            }
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void checkRound(TestHttpClient http, ExecutorService threads, String repository) throws Exception {
        URI uri = URI.create(base.toString()).resolve("/api/repositories/"
                + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/reservations");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Call>> futures = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String holder = i % 2 == 0 ? "alice" : "bob";
            // every alice pattern overlaps every bob pattern (src/m<i>/f<j>.py), own patterns may or may not
            String pattern = holder.equals("alice") ? "src/m" + i + "/**" : "src/**/f" + i + ".py";
            String body = "{\"holder\":\"" + holder + "\",\"paths\":[\"" + pattern + "\"],\"reason\":\"race\"}";
            futures.add(threads.submit(() -> {
                start.await();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TestTokens.ADMIN).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonPath json = JsonPath.from(response.body());
                return new Call(holder, json.getString("granted[0].id"),
                        Instant.parse(json.getString("granted[0].createdAt")),
                        new HashSet<>(json.<String>getList("conflicts.reservation.id")));
            }));
        }
        start.countDown();
        List<Call> calls = new ArrayList<>();
        for (Future<Call> future : futures) {
            calls.add(future.get(60, TimeUnit.SECONDS));
        }
        calls.sort(Comparator.comparing(Call::grantedAt));
        assertThat(calls.stream().map(Call::grantedAt).distinct()).hasSize(CALLS);

        Set<String> conflictFreeHolders = new HashSet<>();
        for (int k = 0; k < calls.size(); k++) {
            Call call = calls.get(k);
            Set<String> earlierOthers = new HashSet<>();
            for (Call earlier : calls.subList(0, k)) {
                if (!earlier.holder().equals(call.holder())) {
                    earlierOthers.add(earlier.id());
                }
            }
            assertThat(call.conflictIds()).as("conflicts of call %d (%s)", k, call.holder())
                    .isEqualTo(earlierOthers);
            if (call.conflictIds().isEmpty()) {
                conflictFreeHolders.add(call.holder());
            }
        }
        assertThat(conflictFreeHolders).hasSize(1);
    }
}
