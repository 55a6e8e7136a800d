package dev.drep.publisher.platform;

/**
 * A comment or issue that exists on a platform.
 *
 * @param id   the platform's id (issue number / iid for issues)
 * @param url  a link for people, or null when the platform gives none
 * @param body its markdown body
 */
public record PostedItem(String id, String url, String body) {
}
