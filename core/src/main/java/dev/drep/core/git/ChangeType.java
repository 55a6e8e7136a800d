package dev.drep.core.git;

/** How a file changed between base and head. */
public enum ChangeType {
    ADDED, MODIFIED, RENAMED, COPIED, DELETED
}
