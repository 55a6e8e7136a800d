package dev.drep.launcher.guard;

import dev.drep.core.git.RepositoryKeys;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drep guard install [REPO]}: writes the pre-commit and pre-push hooks that run {@code drep guard check},
 * chaining any hook already there.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install pre-commit and pre-push hooks that check file reservations.",
                "A hook already in place is renamed to <hook>.drep-chained and runs first; its exit code is kept."})
final class GuardInstallCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REPO",
            description = "The git repository. Default: the current directory.")
    String repo;

    @Option(names = "--drep", paramLabel = "COMMAND",
            description = "The command the hooks run drep with (shell words). Default: this drep.")
    String drep;

    GuardInstallCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter err = env.err();
        Path dir = env.resolve(repo == null ? "." : repo);
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true).findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            err.println("drep: '" + dir + "' is not inside a git repository; run 'drep guard install' in one or name"
                    + " it: drep guard install path/to/repo");
            return ExitCodes.NOT_DONE;
        }
        try (Repository git = builder.build()) {
            Path hooks = hooksDir(git);
            String command = drep != null ? drep : defaultCommand();
            List<HookInstaller.Installed> installed = HookInstaller.install(hooks, command);
            for (HookInstaller.Installed hook : installed) {
                env.out().println("installed " + hook.file() + (hook.chained() == null ? ""
                        : " (runs " + hook.chained().getFileName() + " first)"));
            }
            env.out().println("commits and pushes in " + (git.isBare() ? git.getDirectory() : git.getWorkTree())
                    + " are now checked against file reservations in repository '" + RepositoryKeys.of(git) + "'");
            return ExitCodes.OK;
        } catch (GuardException e) {
            err.println("drep: " + e.getMessage());
            return ExitCodes.NOT_DONE;
        } catch (IOException e) {
            err.println("drep: could not install the hooks: " + e.getMessage());
            return ExitCodes.NOT_DONE;
        }
    }

    /** {@code core.hooksPath} when set (relative to the work tree), else {@code .git/hooks}. */
    private static Path hooksDir(Repository git) {
        String configured = git.getConfig().getString("core", null, "hooksPath");
        if (configured == null || configured.isBlank()) {
            return git.getDirectory().toPath().resolve("hooks");
        }
        Path path = Path.of(configured.startsWith("~/") ? System.getProperty("user.home") + configured.substring(1)
                : configured);
        File base = git.isBare() ? git.getDirectory() : git.getWorkTree();
        return path.isAbsolute() ? path : base.toPath().resolve(path).normalize();
    }

    /**
     * How the hooks start this drep: the {@code drep} script of the drep home when there is one, else this JVM
     * with the launcher jar (with the script's quick-start options), else {@code drep} from the PATH.
     */
    private String defaultCommand() {
        String homeVariable = env.variable("DREP_HOME");
        Path home = env.home() != null ? env.home() : homeVariable != null ? Path.of(homeVariable) : null;
        if (home != null && Files.isExecutable(home.resolve("drep"))) {
            return HookInstaller.quote(home.resolve("drep").toString());
        }
        try {
            Path jar = Path.of(GuardInstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.toString().endsWith(".jar")) {
                Path java = Path.of(System.getProperty("java.home"), "bin", "java");
                return HookInstaller.quote(java.toString()) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "
                        + HookInstaller.quote(jar.toString());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no usable code source: fall through to the PATH
        }
        return "drep";
    }
}
