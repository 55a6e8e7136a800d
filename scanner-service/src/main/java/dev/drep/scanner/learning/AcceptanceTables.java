package dev.drep.scanner.learning;

import dev.drep.contracts.FindingAcceptance;
import dev.drep.identity.Callers;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.planning.ReviewPublisher;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositoryResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How drep's inline findings were received, per rule and model (docs/architecture.md, "Learning from feedback"), for
 * {@link AcceptanceResource} and {@link RepositoryAcceptanceResource}: the review-publisher counts them, this names the
 * repository (or none) to it, applies who may read which table, and answers 503 when the publisher cannot be asked.
 * The two endpoints are two classes only because a resource class under {@code /api/repositories/{id}/...} must have
 * that path of its own to be routed past {@link RepositoryResource}.
 */
@ApplicationScoped
class AcceptanceTables {
    private final ReviewPublisher publisher;
    private final SecurityIdentity caller;

    AcceptanceTables(ReviewPublisher publisher, SecurityIdentity caller) {
        this.publisher = publisher;
        this.caller = caller;
    }

    /** @return every repository's table; only for a token not restricted to one repository */
    Uni<FindingAcceptance> everyRepository() {
        Callers.requireUnrestricted(caller, "reading the acceptance of every repository's findings");
        return asked(publisher.acceptance());
    }

    /** @return the table of the registered repository {@code id} (404 when there is none), if the caller may read it */
    Uni<FindingAcceptance> ofRepository(String id) {
        return Panache.withSession(() -> RegisteredRepository
                        .<RegisteredRepository>findById(RepositoryResource.parseId(id))
                        .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + id)))
                .invoke(repository -> Callers.requireRepository(caller, repository.fullName))
                .chain(repository -> asked(publisher.acceptance(repository.snapshot())));
    }

    private static Uni<FindingAcceptance> asked(Uni<FindingAcceptance> answer) {
        return answer.onFailure().transform(e -> e instanceof ApiError ? e : new ApiError(503, "publisher_unavailable",
                e.getMessage() + "; try again later"));
    }
}
