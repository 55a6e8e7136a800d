package dev.drep.core.git;

/**
 * The two commits a review compares.
 *
 * @param base base commit id, or null to compare against the empty tree (head is a root commit)
 * @param head head commit id
 */
public record RevisionRange(String base, String head) {
    /** @return true when there is nothing to compare */
    public boolean isEmpty() {
        return head.equals(base);
    }
}
