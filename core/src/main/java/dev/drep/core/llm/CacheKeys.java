package dev.drep.core.llm;

import dev.drep.contracts.FileToAnalyze;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keys of the analysis cache: a SHA-256 of everything that decides what the model is asked — the
 * file's blob id (its content), its extension (its language), the analyzer and its version, the
 * model alias and task class, the prompt version, the path's instructions and a namespace that an
 * operator changes to drop every entry at once (e.g. after re-routing a task class to another model
 * in the gateway, which the analyzer cannot see).
 */
public final class CacheKeys {
    private CacheKeys() {
    }

    /**
     * @param analyzer      analyzer id, e.g. {@code llm-review}
     * @param version       the analyzer's logic version
     * @param model         the model alias asked for
     * @param taskClass     the task class sent
     * @param promptVersion the prompt's version
     * @param namespace     operator-chosen namespace
     * @param settings      further settings that change answers (e.g. context lines), as text
     * @param file          the file
     * @return the key, or null when the file has no blob id (nothing content-addressed to key on)
     */
    public static String key(String analyzer, String version, String model, String taskClass, String promptVersion,
            String namespace, String settings, FileToAnalyze file) {
        if (file.blobSha() == null || file.blobSha().isBlank()) {
            return null;
        }
        String path = file.path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? name : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String instructions = file.instructions() == null ? "" : sha256(file.instructions());
        return sha256(String.join("\u0000", analyzer, version, model, taskClass, promptVersion, namespace, settings,
                extension, instructions, file.blobSha()));
    }

    /** @return the lower-case hex SHA-256 of {@code text} in UTF-8 */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
