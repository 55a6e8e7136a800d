package dev.drep.publisher.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostingLeaseTest {
    private static final Duration REQUEST = Duration.ofSeconds(31);

    @Test
    void aRequestIsSentOnlyWhileTheLeaseOutlastsIt() {
        PostingLease lease = new PostingLease("job-1", Duration.ofMinutes(2));
        assertThat(lease.during(() -> {
            PostingLease.check(REQUEST, "github: POST /repos/acme/docs/pulls/1/reviews");
            return "sent";
        })).isEqualTo("sent");

        PostingLease expiring = new PostingLease("job-2", Duration.ofSeconds(10));
        assertThatThrownBy(() -> expiring.during(() -> {
            PostingLease.check(REQUEST, "github: POST /repos/acme/docs/pulls/1/reviews");
            return "sent";
        })).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.kind()).as("deferred, like an unavailable platform").isEqualTo(PlatformException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("POST /repos/acme/docs/pulls/1/reviews was not sent")
                    .contains("claim on job job-2 ran out");
        });
    }

    @Test
    void aRenewalExtendsTheLeaseAndALostClaimStopsAtOnce() {
        PostingLease lease = new PostingLease("job-3", Duration.ZERO);
        assertThat(lease.holdsFor(REQUEST)).isFalse();
        lease.renewed(System.nanoTime(), Duration.ofMinutes(2));
        assertThat(lease.holdsFor(REQUEST)).isTrue();
        lease.renewed(System.nanoTime() - Duration.ofMinutes(5).toNanos(), Duration.ofMinutes(2));
        assertThat(lease.holdsFor(REQUEST)).as("an older renewal never shortens the lease").isTrue();
        lease.lost();
        assertThat(lease.holdsFor(Duration.ZERO)).isFalse();
    }

    @Test
    void requestsOutsideAPostAreNotFenced() {
        assertThatCode(() -> PostingLease.check(REQUEST, "gitea: POST /api/v1/repos/acme/docs/statuses/abc"))
                .as("the pending status during registration").doesNotThrowAnyException();
        new PostingLease("job-4", Duration.ZERO).during(() -> "done");
        assertThatCode(() -> PostingLease.check(REQUEST, "after the post")).as("the lease ends with its post")
                .doesNotThrowAnyException();
    }
}
