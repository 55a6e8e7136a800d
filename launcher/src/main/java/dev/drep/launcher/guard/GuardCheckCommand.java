package dev.drep.launcher.guard;

import dev.drep.contracts.PathConflict;
import dev.drep.contracts.ReservationView;
import dev.drep.core.git.RepositoryKeys;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.guard.GitChanges.PushedRef;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drep guard check --staged | --push}: asks the scanner whether the paths of the commit (or of the
 * commits being pushed) lie under another holder's exclusive reservation, prints each conflict with holder,
 * pattern, reason and expiry, and blocks (exit 1) unless in warn mode. Exit 0 lets git go on; exit 2 means the
 * check could not be made and {@code DREP_GUARD_ON_UNREACHABLE=block} asks to refuse then.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the staged paths (pre-commit) or the pushed commits' paths (pre-push) against file"
                + " reservations.",
                "Environment: DREP_URL (default http://127.0.0.1:8081), DREP_HOLDER (default: git user.email),"
                        + " DREP_REPOSITORY (default: from the origin remote), DREP_GUARD_MODE=block|warn,"
                        + " DREP_GUARD_BYPASS=1, DREP_GUARD_ON_UNREACHABLE=allow|block."})
final class GuardCheckCommand implements Callable<Integer> {
    private static final String PREFIX = "drep guard: ";

    private final LauncherEnvironment env;
    private final Supplier<InputStream> stdin;

    static final class What {
        @Option(names = "--staged", required = true, description = "Check the paths staged for the next commit.")
        boolean staged;

        @Option(names = "--push", required = true,
                description = "Check the paths of the commits being pushed; reads the pre-push hook's stdin.")
        boolean push;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--warn", description = "Print conflicts but do not block (as DREP_GUARD_MODE=warn).")
    boolean warn;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: the current directory.")
    String repo;

    @Parameters(paramLabel = "REMOTE", arity = "0..2",
            description = "For --push: the remote's name and URL, as git passes them to the pre-push hook.")
    List<String> remote = new ArrayList<>();

    GuardCheckCommand(LauncherEnvironment env, Supplier<InputStream> stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = env.err();
        GuardSettings settings = GuardSettings.from(env, warn);
        settings.problems().forEach(problem -> err.println(PREFIX + problem));
        if (settings.bypass()) {
            err.println(PREFIX + GuardSettings.BYPASS + " is set: reservations not checked");
            return ExitCodes.OK;
        }
        String action = what.push ? "push" : "commit";
        String repository;
        String holder;
        List<String> paths;
        try (Repository git = open()) {
            paths = what.push ? GitChanges.pushed(git, readPushedRefs(), remote.isEmpty() ? null : remote.get(0))
                    : GitChanges.staged(git, index(git));
            repository = settings.repository() != null ? settings.repository() : RepositoryKeys.of(git);
            holder = settings.holder() != null ? settings.holder() : git.getConfig().getString("user", null, "email");
        } catch (GuardException e) {
            err.println(PREFIX + e.getMessage());
            return ExitCodes.NOT_DONE;
        } catch (IOException | RuntimeException e) {
            err.println(PREFIX + "could not read the " + action + "'s paths: " + e.getMessage());
            return ExitCodes.NOT_DONE;
        }
        if (paths.isEmpty()) {
            return ExitCodes.OK;
        }
        if (holder == null || holder.isBlank()) {
            holder = null;
            err.println(PREFIX + "no holder identity (set " + GuardSettings.HOLDER + " or git config user.email):"
                    + " every exclusive reservation counts");
        }
        List<PathConflict> conflicts;
        try {
            conflicts = new ReservationCheckClient(settings.apiUrl(), settings.token()).check(repository, holder, paths);
        } catch (ReservationCheckClient.Unavailable e) {
            if (settings.blockUnreachable()) {
                err.println(PREFIX + e.getMessage() + "; " + action + " refused because "
                        + GuardSettings.ON_UNREACHABLE + "=block");
                return ExitCodes.NOT_DONE;
            }
            err.println(PREFIX + "warning: " + e.getMessage() + "; reservations not checked, letting the " + action
                    + " through (set " + GuardSettings.ON_UNREACHABLE + "=block to refuse instead)");
            return ExitCodes.OK;
        }
        if (conflicts.isEmpty()) {
            return ExitCodes.OK;
        }
        report(err, conflicts, repository, action, settings.warnOnly());
        return settings.warnOnly() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static void report(PrintWriter err, List<PathConflict> conflicts, String repository, String action,
            boolean warnOnly) {
        long paths = conflicts.stream().map(PathConflict::path).distinct().count();
        err.println(PREFIX + (warnOnly ? "warning: " : "") + paths + (paths == 1 ? " path" : " paths") + " of this "
                + action + (paths == 1 ? " is" : " are") + " under another holder's exclusive reservation in "
                + repository + ":");
        for (PathConflict conflict : conflicts) {
            ReservationView held = conflict.reservation();
            err.println("  " + conflict.path() + ": reserved by " + held.holder() + " (pattern \"" + held.pattern()
                    + "\", reason: " + (held.reason() == null ? "none given" : held.reason()) + ", expires "
                    + (held.expiresAt() == null ? "?" : held.expiresAt().truncatedTo(ChronoUnit.SECONDS)) + ")");
        }
        if (warnOnly) {
            err.println(PREFIX + "warn mode: letting the " + action + " through");
        } else {
            err.println(PREFIX + action + " blocked. Coordinate with the holder, or set " + GuardSettings.MODE
                    + "=warn (or pass --warn) to only warn, or " + GuardSettings.BYPASS + "=1 to skip the check once.");
        }
    }

    /**
     * Opens the repository as git sees it in a hook: {@code GIT_DIR} when git sets it, else found from the
     * directory upwards.
     */
    private Repository open() throws GuardException {
        Path dir = env.resolve(repo == null ? "." : repo);
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        String gitDir = env.variable("GIT_DIR");
        if (gitDir != null && repo == null) {
            builder.setGitDir(env.resolve(gitDir).toFile());
            builder.setWorkTree(dir.toFile());
        } else {
            builder.findGitDir(dir.toFile());
            if (builder.getGitDir() == null) {
                throw new GuardException("'" + dir + "' is not inside a git repository");
            }
        }
        try {
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new GuardException("could not open the git repository at '" + dir + "': " + e.getMessage(), e);
        }
    }

    /**
     * The index as the commit will record it: {@code git commit -a} and {@code git commit PATH} hand the hook a
     * temporary index in {@code GIT_INDEX_FILE}.
     */
    private DirCache index(Repository git) throws IOException, GuardException {
        String indexFile = env.variable("GIT_INDEX_FILE");
        if (indexFile == null) {
            return git.readDirCache();
        }
        File file = env.resolve(indexFile).toFile();
        if (!Files.isRegularFile(file.toPath())) {
            throw new GuardException("GIT_INDEX_FILE names '" + file + "', which is not a file");
        }
        try {
            return DirCache.read(file, git.getFS());
        } catch (org.eclipse.jgit.errors.CorruptObjectException e) {
            throw new GuardException("the index '" + file + "' is not readable: " + e.getMessage(), e);
        }
    }

    private List<PushedRef> readPushedRefs() throws IOException, GuardException {
        List<PushedRef> refs = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin.get(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            PushedRef ref = PushedRef.parse(line);
            if (ref != null) {
                refs.add(ref);
            }
        }
        return refs;
    }
}
