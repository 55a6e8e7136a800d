package dev.drep.launcher.stack;

import dev.drep.launcher.DrepCommand;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The drep home: the repository root, under which each service's Maven module holds its packaged
 * application at {@code <module>/target/quarkus-app/quarkus-run.jar}.
 *
 * @param root the repository root
 */
public record DrepHome(Path root) {

    /**
     * Finds the home: the environment's explicit home ({@code -Ddrep.home}), else the DREP_HOME variable,
     * else the repository the running launcher was built in ({@code <home>/launcher/target/...}).
     */
    public static DrepHome resolve(LauncherEnvironment env) throws LauncherException {
        if (env.home() != null) {
            return new DrepHome(env.home());
        }
        String variable = env.variable(LauncherEnvironment.HOME_VARIABLE);
        if (variable != null) {
            return new DrepHome(env.resolve(variable));
        }
        Path fromLauncher = launcherBuildRoot();
        if (fromLauncher != null) {
            return new DrepHome(fromLauncher);
        }
        throw new LauncherException("Cannot tell where drep is installed. Run drep through the 'drep' script at the "
                + "root of the drep repository, or set DREP_HOME (or -Ddrep.home) to that folder.");
    }

    /** @return where the packaged service is */
    public Path jar(ServiceKind kind) {
        return root.resolve(kind.module()).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** Fails, naming every missing jar and how to build them, unless all four services are packaged. */
    public void requireJars() throws LauncherException {
        List<String> missing = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            if (!Files.isRegularFile(jar(kind))) {
                missing.add(jar(kind).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new LauncherException("The drep services are not built (drep home " + root + "). Build them with "
                    + "'cd " + root + " && ./mvnw -B -DskipTests install', or run the 'drep' script, which builds "
                    + "on first use.", missing.stream().map(m -> "missing: " + m).toList(), null);
        }
    }

    // <home>/launcher/target/drep-launcher.jar or <home>/launcher/target/classes
    private static Path launcherBuildRoot() {
        try {
            var source = DrepCommand.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
            Path target = location.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && target.getParent().getParent() != null) {
                Path home = target.getParent().getParent();
                return Files.isRegularFile(home.resolve("pom.xml")) ? home : null;
            }
            return null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
