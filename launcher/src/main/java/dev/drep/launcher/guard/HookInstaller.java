package dev.drep.launcher.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the guard's pre-commit and pre-push hooks into a hooks folder. A hook that is already there (and is
 * not ours) is renamed to {@code <name>.drep-chained} and runs first: when it fails, the hook exits with its
 * exit code and the guard is not asked. Installing again rewrites our hooks and keeps the chained ones.
 */
final class HookInstaller {
    /** Marks a hook file as written by the guard. */
    static final String MARKER = "drep-guard-hook";
    /** Suffix of a renamed, chained previous hook. */
    static final String CHAINED_SUFFIX = ".drep-chained";
    static final List<String> HOOKS = List.of("pre-commit", "pre-push");

    private HookInstaller() {
    }

    /** What happened to one hook. */
    record Installed(String hook, Path file, Path chained, boolean replacedOurOwn) {
    }

    /**
     * @param hooksDir where git looks for hooks ({@code core.hooksPath} or {@code .git/hooks})
     * @param command  the shell words that run drep, already quoted
     */
    static List<Installed> install(Path hooksDir, String command) throws IOException, GuardException {
        Files.createDirectories(hooksDir);
        for (String hook : HOOKS) {
            Path file = hooksDir.resolve(hook);
            Path chained = hooksDir.resolve(hook + CHAINED_SUFFIX);
            if (Files.exists(file) && !isOurs(file) && Files.exists(chained)) {
                throw new GuardException("both " + file + " and " + chained + " exist; the guard chains one previous"
                        + " hook. Merge them into " + chained + " (or remove one) and install again.");
            }
        }
        List<Installed> done = new ArrayList<>();
        for (String hook : HOOKS) {
            Path file = hooksDir.resolve(hook);
            Path chained = hooksDir.resolve(hook + CHAINED_SUFFIX);
            boolean ours = Files.exists(file) && isOurs(file);
            if (Files.exists(file) && !ours) {
                Files.move(file, chained);
            }
            Files.writeString(file, script(hook, command), StandardCharsets.UTF_8);
            makeExecutable(file);
            done.add(new Installed(hook, file, Files.exists(chained) ? chained : null, ours));
        }
        return done;
    }

    static boolean isOurs(Path hook) throws IOException {
        if (!Files.isRegularFile(hook)) {
            return false;
        }
        try (var lines = Files.lines(hook, StandardCharsets.ISO_8859_1)) {
            return lines.limit(5).anyMatch(line -> line.contains(MARKER));
        }
    }

    /** The hook script: run the chained hook first (keeping its exit code), then drep's check. */
    static String script(String hook, String command) {
        String chained = "\"$hook_dir/" + hook + CHAINED_SUFFIX + "\"";
        StringBuilder sh = new StringBuilder()
                .append("#!/bin/sh\n")
                .append("# ").append(MARKER).append(": written by 'drep guard install'; installing again rewrites it.\n")
                .append("# A hook that was here before is ").append(hook).append(CHAINED_SUFFIX)
                .append(": it runs first, and its failure (with its exit code) stops here.\n")
                .append("# Skip the check once with DREP_GUARD_BYPASS=1; only warn with DREP_GUARD_MODE=warn.\n")
                .append("hook_dir=$(dirname \"$0\")\n");
        if (hook.equals("pre-push")) {
            // git writes the refs being pushed to stdin once; both the chained hook and drep need them
            sh.append("input=$(cat)\n")
                    .append("if [ -x ").append(chained).append(" ]; then\n")
                    .append("  printf '%s\\n' \"$input\" | ").append(chained).append(" \"$@\" || exit $?\n")
                    .append("fi\n")
                    .append("printf '%s\\n' \"$input\" | ").append(command).append(" guard check --push \"$@\"\n");
        } else {
            sh.append("if [ -x ").append(chained).append(" ]; then\n")
                    .append("  ").append(chained).append(" \"$@\" || exit $?\n")
                    .append("fi\n")
                    .append("exec ").append(command).append(" guard check --staged\n");
        }
        return sh.toString();
    }

    /** @return {@code word} quoted for sh */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): git for Windows runs hooks without an executable bit
            file.toFile().setExecutable(true);
        }
    }
}
