package dev.drep.publisher.pullrequest;

import dev.drep.core.describe.DescriptionBlock;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.PlatformTarget;
import dev.drep.publisher.platform.ReviewPlatform;
import dev.drep.publisher.posting.BodyLimit;
import org.jboss.logging.Logger;

/**
 * Writes the walkthrough into the pull request's description between drep's markers ({@code describe: body},
 * {@code /drep describe}), keeping every byte the author wrote outside them ({@link DescriptionBlock}).
 *
 * <p>No platform offers a conditional update of a description (GitHub, Gitea and GitLab take the whole text), so an
 * author's edit made while drep writes could be lost. drep narrows that to the time of one request: it reads the
 * description, splices, reads it again just before writing and writes only when the two reads agree; when they
 * differ (the author is editing) it splices into the newer text, up to {@link #ATTEMPTS} times, and else leaves the
 * description alone for this push. A description that already holds this walkthrough is not written at all.
 */
final class DescriptionWalkthrough {
    private static final Logger LOG = Logger.getLogger(DescriptionWalkthrough.class);
    /** Reads and splices tried before giving up on a description that keeps changing. */
    static final int ATTEMPTS = 3;
    /** Below this much room for the walkthrough the description is left alone. */
    private static final int MIN_ROOM = 500;

    /** What became of the description. */
    enum Outcome {
        WRITTEN, UNCHANGED, KEPT_CHANGING, TOO_LONG, REFUSED
    }

    private DescriptionWalkthrough() {
    }

    /**
     * @param walkthrough the walkthrough's markdown (safe, carrying no marker)
     * @param jobId       for the log
     * @throws PlatformException when the platform is unavailable or rate limits (the publication is retried, and
     *                           splicing again is idempotent)
     */
    static Outcome write(ReviewPlatform platform, PlatformTarget target, String walkthrough, String jobId) {
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                String current = platform.description(target);
                String authors = DescriptionBlock.splice(current, DescriptionBlock.block("")).body();
                int room = platform.maxBodyLength() - authors.length() - 2;
                if (room < MIN_ROOM) {
                    LOG.warnf("job %s: the description of %s is too long to add the walkthrough to; left as it is",
                            jobId, target.ref().repository() + "#" + target.ref().number());
                    return Outcome.TOO_LONG;
                }
                DescriptionBlock.Spliced spliced = DescriptionBlock.splice(current,
                        DescriptionBlock.block(BodyLimit.fit(walkthrough, room)));
                if (spliced.body().equals(current)) {
                    return Outcome.UNCHANGED;
                }
                if (!platform.description(target).equals(current)) {
                    continue; // edited since the first read: splice into the newest text
                }
                if (spliced.damaged() != null) {
                    LOG.infof("job %s: the description of %s had damaged walkthrough markers: %s", jobId,
                            target.ref().repository() + "#" + target.ref().number(), spliced.damaged());
                }
                platform.setDescription(target, spliced.body());
                return Outcome.WRITTEN;
            }
            LOG.warnf("job %s: the description of %s changed on each of %d reads; the walkthrough was not written into "
                    + "it this time", jobId, target.ref().repository() + "#" + target.ref().number(), ATTEMPTS);
            return Outcome.KEPT_CHANGING;
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.UNAVAILABLE || e.kind() == PlatformException.Kind.RATE_LIMITED) {
                throw e;
            }
            // a token that may comment but not edit the pull request: the summary still has the walkthrough
            LOG.warnf("job %s: %s refused to update the description of %s (%s); the walkthrough is in the summary only",
                    jobId, platform.name(), target.ref().repository() + "#" + target.ref().number(), e.getMessage());
            return Outcome.REFUSED;
        }
    }
}
