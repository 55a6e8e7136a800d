package dev.drep.launcher.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.testing.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed hooks in a real git repository, run by the git command line: {@code git commit} and
 * {@code git push} go through {@code drep guard check} in a separate JVM, against a fake reservation API.
 */
class GuardHooksTest {
    @TempDir
    Path dir;
    Path repo;
    Path remote;
    Path drep;
    FakeReservationApi api;

    @BeforeEach
    void setUp() throws Exception {
        repo = Files.createDirectories(dir.resolve("work/docs"));
        remote = dir.resolve("remote.git");
        api = new FakeReservationApi().reserve("locked/", "bob");
        drep = drepScript();
        git(dir, "init", "--bare", "-b", "main", remote.toString());
        git(repo, "init", "-b", "main");
        git(repo, "config", "user.email", "alice@example.com");
        git(repo, "config", "user.name", "Alice");
        git(repo, "remote", "add", "origin", remote.toString());
        write("locked/a.md", "a\n");
        write("free/b.md", "b\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "base");
        git(repo, "push", "-q", "origin", "main");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void installChainsAnExistingHookWhichRunsFirstAndKeepsItsExitCode() throws Exception {
        Path hooks = repo.resolve(".git/hooks");
        Path ran = dir.resolve("old-hook-ran");
        Files.writeString(hooks.resolve("pre-commit"), "#!/bin/sh\necho ran >> '" + ran + "'\nexit \"${OLD_HOOK_EXIT:-0}\"\n");
        hooks.resolve("pre-commit").toFile().setExecutable(true);

        Terminal terminal = new Terminal(repo, dir.resolve("data"), dir.resolve("no-home"));
        assertThat(terminal.run("guard", "install", "--drep", HookInstaller.quote(drep.toString())))
                .as(terminal.err()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("pre-commit (runs pre-commit.drep-chained first)")
                .contains("repository 'remote'");
        assertThat(Files.readString(hooks.resolve("pre-commit.drep-chained"))).contains("echo ran");
        assertThat(HookInstaller.isOurs(hooks.resolve("pre-commit"))).isTrue();
        assertThat(HookInstaller.isOurs(hooks.resolve("pre-push"))).isTrue();
        assertThat(hooks.resolve("pre-push.drep-chained")).doesNotExist();

        // installing again rewrites our hooks and never chains them to themselves
        assertThat(terminal.run("guard", "install", repo.toString(), "--drep", HookInstaller.quote(drep.toString())))
                .isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(hooks.resolve("pre-commit.drep-chained"))).contains("echo ran");

        // the chained hook fails with 3: the hook exits with 3 and drep is not asked
        write("free/b.md", "changed\n");
        git(repo, "add", "-A");
        Result direct = run(repo, Map.of("OLD_HOOK_EXIT", "3", "DREP_URL", api.url()), hooks.resolve("pre-commit").toString());
        assertThat(direct.code()).isEqualTo(3);
        assertThat(api.received()).isEmpty();
        assertThat(Files.readAllLines(ran)).hasSize(1);

        // the chained hook passes: drep checks, and the commit goes through
        Result commit = run(repo, Map.of("DREP_URL", api.url()), "git", "commit", "-q", "-m", "free change");
        assertThat(commit.code()).as(commit.output()).isZero();
        assertThat(Files.readAllLines(ran)).hasSize(2);
        assertThat(api.received()).hasSize(1);
        assertThat(api.received().get(0).paths()).containsExactly("free/b.md");
    }

    @Test
    void aCommitTouchingAnotherHoldersReservationIsBlockedUnlessWarnedOrBypassed() throws Exception {
        install();
        write("locked/a.md", "changed\n");
        git(repo, "add", "-A");

        Result blocked = run(repo, Map.of("DREP_URL", api.url()), "git", "commit", "-q", "-m", "touch locked");
        assertThat(blocked.code()).isNotZero();
        assertThat(blocked.output()).contains("locked/a.md: reserved by bob (pattern \"locked/**\", reason: refactoring,"
                + " expires " + FakeReservationApi.EXPIRES + ")").contains("commit blocked");
        assertThat(git(repo, "log", "--oneline").lines().count()).isEqualTo(1);

        Result warned = run(repo, Map.of("DREP_URL", api.url(), "DREP_GUARD_MODE", "warn"),
                "git", "commit", "-q", "-m", "touch locked, warned");
        assertThat(warned.code()).as(warned.output()).isZero();
        assertThat(warned.output()).contains("warn mode");

        write("locked/a.md", "changed again\n");
        git(repo, "add", "-A");
        int requestsBefore = api.received().size();
        Result bypassed = run(repo, Map.of("DREP_URL", api.url(), "DREP_GUARD_BYPASS", "1"),
                "git", "commit", "-q", "-m", "touch locked, bypassed");
        assertThat(bypassed.code()).as(bypassed.output()).isZero();
        assertThat(api.received()).hasSize(requestsBefore);
        assertThat(git(repo, "log", "--oneline").lines().count()).isEqualTo(3);
    }

    @Test
    void commitAllIsCheckedWithTheIndexGitHandsTheHook() throws Exception {
        install();
        write("locked/a.md", "changed but not staged\n");
        Result blocked = run(repo, Map.of("DREP_URL", api.url()), "git", "commit", "-q", "-a", "-m", "commit -a");
        assertThat(blocked.code()).isNotZero();
        assertThat(blocked.output()).contains("locked/a.md: reserved by bob");
    }

    @Test
    void anUnreachableApiLetsTheCommitThroughUnlessConfiguredToBlock() throws Exception {
        install();
        write("locked/a.md", "changed\n");
        git(repo, "add", "-A");
        String nowhere = "http://127.0.0.1:9"; // the discard port: nothing listens there
        Result refused = run(repo, Map.of("DREP_URL", nowhere, "DREP_GUARD_ON_UNREACHABLE", "block"),
                "git", "commit", "-q", "-m", "refused");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.output()).contains("commit refused because DREP_GUARD_ON_UNREACHABLE=block");
        Result allowed = run(repo, Map.of("DREP_URL", nowhere), "git", "commit", "-q", "-m", "allowed");
        assertThat(allowed.code()).as(allowed.output()).isZero();
        assertThat(allowed.output()).contains("reservations not checked, letting the commit through");
    }

    @Test
    void aPushOfCommitsTouchingAnotherHoldersReservationIsBlockedAndAChainedPrePushSeesTheRefs() throws Exception {
        Path hooks = repo.resolve(".git/hooks");
        Path seen = dir.resolve("pre-push-stdin");
        Files.writeString(hooks.resolve("pre-push"), "#!/bin/sh\ncat > '" + seen + "'\n");
        hooks.resolve("pre-push").toFile().setExecutable(true);
        install();
        write("locked/a.md", "changed\n");
        git(repo, "add", "-A");
        run(repo, Map.of("DREP_GUARD_BYPASS", "1"), "git", "commit", "-q", "-m", "touch locked");
        String local = git(repo, "rev-parse", "HEAD").strip();

        Result blocked = run(repo, Map.of("DREP_URL", api.url()), "git", "push", "origin", "main");
        assertThat(blocked.code()).isNotZero();
        assertThat(blocked.output()).contains("1 path of this push is under another holder's exclusive reservation")
                .contains("push blocked");
        assertThat(Files.readString(seen)).startsWith("refs/heads/main " + local + " refs/heads/main ");
        assertThat(api.received().get(api.received().size() - 1).paths()).containsExactly("locked/a.md");

        Result bypassed = run(repo, Map.of("DREP_URL", api.url(), "DREP_GUARD_BYPASS", "1"), "git", "push", "-q",
                "origin", "main");
        assertThat(bypassed.code()).as(bypassed.output()).isZero();
        assertThat(git(remote, "rev-parse", "main").strip()).isEqualTo(local);
    }

    @Test
    void hooksGoWhereCoreHooksPathPoints() throws Exception {
        git(repo, "config", "core.hooksPath", ".githooks");
        install();
        assertThat(HookInstaller.isOurs(repo.resolve(".githooks/pre-commit"))).isTrue();
        write("locked/a.md", "changed\n");
        git(repo, "add", "-A");
        assertThat(run(repo, Map.of("DREP_URL", api.url()), "git", "commit", "-q", "-m", "x").code()).isNotZero();
    }

    @Test
    void installOutsideARepositoryFails() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Terminal terminal = new Terminal(plain, dir.resolve("data"), dir.resolve("no-home"));
        assertThat(terminal.run("guard", "install")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("is not inside a git repository");
    }

    // ---- helpers

    private void install() {
        Terminal terminal = new Terminal(repo, dir.resolve("data"), dir.resolve("no-home"));
        assertThat(terminal.run("guard", "install", "--drep", HookInstaller.quote(drep.toString())))
                .as(terminal.err()).isEqualTo(ExitCodes.OK);
    }

    /** A script that runs this build's drep (the test class path) in a new JVM, as an installed drep would. */
    private Path drepScript() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = dir.resolve("drep");
        Files.writeString(script, "#!/bin/sh\nexec " + HookInstaller.quote(java.toString())
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "
                + HookInstaller.quote(System.getProperty("java.class.path")) + " dev.drep.launcher.DrepCommand \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private void write(String path, String content) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private record Result(int code, String output) {
    }

    private String git(Path where, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Result result = run(where, Map.of(), command.toArray(String[]::new));
        assertThat(result.code()).as("git %s: %s", String.join(" ", args), result.output()).isZero();
        return result.output();
    }

    /** Runs a command with a clean environment: no user or system git configuration, no DREP_ variables. */
    private Result run(Path where, Map<String, String> extra, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("DREP_") || name.startsWith("GIT_"));
        environment.put("HOME", dir.resolve("home").toString());
        environment.put("GIT_CONFIG_NOSYSTEM", "1");
        environment.put("GIT_AUTHOR_NAME", "Alice");
        environment.put("GIT_AUTHOR_EMAIL", "alice@example.com");
        environment.put("GIT_COMMITTER_NAME", "Alice");
        environment.put("GIT_COMMITTER_EMAIL", "alice@example.com");
        environment.putAll(new HashMap<>(extra));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output);
    }
}
