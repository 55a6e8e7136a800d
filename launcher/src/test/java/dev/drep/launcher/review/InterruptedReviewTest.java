package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.launcher.DrepCommand;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.stack.StackConfig;
import dev.drep.launcher.testing.FakeServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A review killed half-way (Ctrl-C, SIGTERM) stops every process it started and removes its temporary folder. */
class InterruptedReviewTest {
    @TempDir
    Path dir;

    @Test
    void killingTheLauncherStopsTheStack() throws Exception {
        Path home = dir.resolve("home");
        FakeServices.install(home, dir.resolve("reports"), FakeServices.working());
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("fake-scenario"), "endless");
        Path err = dir.resolve("err.txt");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(StackConfig.currentJava().toString(),
                "-D" + LauncherEnvironment.HOME_PROPERTY + "=" + home, "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), DrepCommand.class.getName(), "review", repo.toString(),
                "--out", dir.resolve("out").toString())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(err.toFile());
        builder.environment().put("DREP_DATA", dir.resolve("data").toString());
        Process launcher = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(err, StandardCharsets.UTF_8).contains("accepted") && launcher.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(err)).contains("drep: Review job job-1 accepted");
            List<ProcessHandle> started = launcher.descendants().toList();
            assertThat(started).hasSizeGreaterThanOrEqualTo(4);
            assertThat(tmp.toFile().list()).anyMatch(name -> name.startsWith("drep-review-"));

            launcher.destroy();

            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle child : started) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
            assertThat(started).noneMatch(ProcessHandle::isAlive);
            assertThat(tmp.toFile().list()).noneMatch(name -> name.startsWith("drep-review-"));
        } finally {
            launcher.destroyForcibly();
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
