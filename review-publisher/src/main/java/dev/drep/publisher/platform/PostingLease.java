package dev.drep.publisher.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How long the thread posting a claimed review may still send requests to a platform. The claim on the job
 * ({@code dev.drep.publisher.job.PublicationClaims}) expires in the database unless renewed, and another
 * replica may then take the review over; so before each request {@link PlatformHttp} checks that this
 * replica's lease outlasts the request ({@link #check}), and a poster that lost its lease (it could not renew:
 * a stall, a database outage) stops instead of posting alongside its successor.
 *
 * <p>Bound to the posting thread for the duration of one post ({@link #during}); requests made on a thread
 * without a lease (the "pending" status during registration) are not fenced.
 */
public final class PostingLease {
    private static final ThreadLocal<PostingLease> CURRENT = new ThreadLocal<>();

    private final String jobId;
    /** System.nanoTime() after which this replica must not start a request */
    private final AtomicLong validUntilNanos;
    /** set when the claim was found taken over: nothing more is sent, whatever the clock says */
    private volatile boolean lost;

    /** @param validFor how long the lease is known to hold from now (the lease less a safety margin) */
    public PostingLease(String jobId, Duration validFor) {
        this.jobId = jobId;
        this.validUntilNanos = new AtomicLong(System.nanoTime() + validFor.toNanos());
    }

    /** Records a renewal made at {@code renewedAtNanos} (System.nanoTime() when it was sent) lasting {@code validFor}. */
    public void renewed(long renewedAtNanos, Duration validFor) {
        long until = renewedAtNanos + validFor.toNanos();
        validUntilNanos.accumulateAndGet(until, (current, renewal) -> renewal - current > 0 ? renewal : current);
    }

    /** The claim is gone (another replica holds it): no further request. */
    public void lost() {
        lost = true;
    }

    /** @return true while the lease holds for at least {@code margin} more */
    public boolean holdsFor(Duration margin) {
        // nanoTime values are compared by difference only (they may wrap)
        return !lost && validUntilNanos.get() - System.nanoTime() > margin.toNanos();
    }

    /** Runs {@code post} on this thread under this lease. */
    public <T> T during(Supplier<T> post) {
        PostingLease previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return post.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Throws unless the current thread's lease (if any) holds for {@code request} more: a request that could
     * outlive the lease is not sent. The post is then deferred like one to an unavailable platform.
     */
    static void check(Duration request, String what) {
        PostingLease lease = CURRENT.get();
        if (lease != null && !lease.holdsFor(request)) {
            throw new PlatformException(PlatformException.Kind.UNAVAILABLE, 0, what + " was not sent: this replica's"
                    + " claim on job " + lease.jobId + " ran out (it could not be renewed), so another replica may"
                    + " be posting the review");
        }
    }
}
