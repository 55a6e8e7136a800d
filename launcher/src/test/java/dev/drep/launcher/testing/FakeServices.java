package dev.drep.launcher.testing;

import dev.drep.launcher.stack.ServiceKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Lays out a fake drep home whose four {@code quarkus-run.jar}s run {@link FakeService}. */
public final class FakeServices {
    private FakeServices() {
    }

    /** @return the modes of a stack that starts and reviews: every service ready, the scanner with its API */
    public static Map<ServiceKind, String> working() {
        Map<ServiceKind, String> modes = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            modes.put(kind, kind == ServiceKind.SCANNER ? "scanner" : "ready");
        }
        return modes;
    }

    /** @return {@link #working()} with one service in another mode */
    public static Map<ServiceKind, String> workingExcept(ServiceKind kind, String mode) {
        Map<ServiceKind, String> modes = working();
        modes.put(kind, mode);
        return modes;
    }

    /**
     * Writes {@code <home>/<module>/target/quarkus-app/quarkus-run.jar} for each service.
     *
     * @param reportDir where each fake writes the settings it was started with
     */
    public static void install(Path home, Path reportDir, Map<ServiceKind, String> modes) throws IOException {
        Path classes = testClasses();
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(classes.resolve("dev/drep/launcher/testing"))) {
            classFiles = files.filter(p -> p.getFileName().toString().startsWith("FakeService")
                    && !p.getFileName().toString().startsWith("FakeServices")).toList();
        }
        for (ServiceKind kind : ServiceKind.values()) {
            Path jar = home.resolve(kind.module()).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                for (Path classFile : classFiles) {
                    out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                    Files.copy(classFile, out);
                    out.closeEntry();
                }
                Properties config = new Properties();
                config.setProperty("mode", modes.get(kind));
                config.setProperty("name", kind.module());
                config.setProperty("report.dir", reportDir.toString());
                out.putNextEntry(new JarEntry("fake-service.properties"));
                config.store(new NonClosing(out), null);
                out.closeEntry();
            }
        }
    }

    /** @return the settings the fake service {@code kind} reported, empty when it did not start */
    public static Properties report(Path reportDir, ServiceKind kind) throws IOException {
        Properties properties = new Properties();
        Path file = reportDir.resolve(kind.module() + ".properties");
        if (Files.isRegularFile(file)) {
            try (var in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        return properties;
    }

    /** @return the folder holding the compiled test classes */
    public static Path testClasses() {
        try {
            return Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
