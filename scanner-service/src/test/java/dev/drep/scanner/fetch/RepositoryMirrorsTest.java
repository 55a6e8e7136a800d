package dev.drep.scanner.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.core.platform.AccessAllowances;
import dev.drep.core.platform.HostBinding;
import dev.drep.core.platform.HostResolver;
import dev.drep.core.platform.HostRules;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.TestOrigin;
import dev.drep.scanner.repository.RepositorySnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;

class RepositoryMirrorsTest {
    private static final String TOKEN = "tok-3f9a8b7c6d5e4f3a2b1c";
    /** file: URLs allowed, no token bound to any host. */
    private static final HostRules LOCAL_ONLY = new HostRules(Map.of(), new AccessAllowances(true, false, false),
            HostResolver.SYSTEM);

    @Test
    void aBareMirrorFetchesBranchesAndPullRequestRefsIncrementallyOverFileTransport() throws Exception {
        Path root = Files.createTempDirectory("mirrors");
        TestOrigin origin = TestOrigin.create();
        String first = origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/pull/3/head");
        RepositoryMirrors mirrors = new RepositoryMirrors(root, 30, ref -> Optional.empty(), LOCAL_ONLY);
        RepositorySnapshot repo = snapshot(Platform.GITHUB, origin.url(), null);

        try (Repository mirror = mirrors.fetch(repo, List.of("refs/heads/main", "refs/pull/3/head"))) {
            assertThat(mirror.isBare()).isTrue();
            assertThat(mirror.exactRef("refs/heads/main").getObjectId().name()).isEqualTo(first);
            assertThat(mirror.exactRef("refs/pull/3/head").getObjectId().name()).isEqualTo(first);
            assertThat(mirror.getConfig().getSubsections("remote")).as("no remote is configured").isEmpty();
        }
        String second = origin.work.write("README.md", "# two\n").commit("two");
        origin.push("refs/heads/main", "refs/pull/3/head");
        try (Repository mirror = mirrors.fetch(repo, List.of("refs/pull/3/head"))) {
            assertThat(mirror.exactRef("refs/pull/3/head").getObjectId().name()).isEqualTo(second);
            assertThat(mirror.getObjectDatabase().has(ObjectId.fromString(first))).isTrue();
        }
        assertThat(mirrors.mirrorPath(repo.id())).isDirectory();

        assertThatThrownBy(() -> mirrors.fetch(repo, List.of("refs/pull/99/head")))
                .isInstanceOf(FetchProblem.class)
                .hasMessageContaining("refs/pull/99/head").hasMessageContaining(origin.url());

        mirrors.remove(repo.id());
        assertThat(mirrors.mirrorPath(repo.id())).doesNotExist();
    }

    @Test
    void aPackLockLeftByAKilledFetchIsClearedByTheNextFetch() throws Exception {
        Path root = Files.createTempDirectory("mirrors-killed");
        TestOrigin origin = TestOrigin.create();
        // more objects than git's unpack limit (100), so the fetch keeps them as a pack
        for (int i = 0; i < 120; i++) {
            origin.work.write("docs/page-" + i + ".md", "# Page " + i + "\n");
        }
        origin.work.commit("pages");
        origin.push("refs/heads/main", "refs/heads/main");
        RepositoryMirrors mirrors = new RepositoryMirrors(root, 30, ref -> Optional.empty(), LOCAL_ONLY);
        RepositorySnapshot repo = snapshot(Platform.GITEA, origin.url(), null);
        mirrors.fetch(repo, List.of("refs/heads/main")).close();
        // A scanner killed while its fetch indexed a pack leaves the pack's lock, a .keep file, behind (seen in CI:
        // the next fetch that received the same objects failed with "Cannot lock pack", and so did its job).
        Path packs = mirrors.mirrorPath(repo.id()).resolve("objects/pack");
        List<Path> keeps = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(packs)) {
            for (Path pack : files.filter(p -> p.toString().endsWith(".pack")).toList()) {
                String name = pack.getFileName().toString();
                keeps.add(Files.writeString(pack.resolveSibling(name.substring(0, name.length() - 5) + ".keep"),
                        "fetch-pack from a scanner that was killed\n"));
            }
        }
        assertThat(keeps).as("the fetch kept a pack").isNotEmpty();
        String head = origin.work.write("README.md", "# two\n").commit("two");
        origin.push("refs/heads/main", "refs/pull/10/head");

        try (Repository fetched = mirrors.fetch(repo, List.of("refs/pull/10/head"))) {
            assertThat(fetched.exactRef("refs/pull/10/head").getObjectId().name()).isEqualTo(head);
        }
        assertThat(keeps).allSatisfy(keep -> assertThat(keep).doesNotExist());
    }

    @Test
    void refLocksLeftByAKilledFetchAreClearedAndTheRefsUpdatedByTheNextFetch() throws Exception {
        TestOrigin origin = TestOrigin.create();
        origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/pull/10/head");
        RepositoryMirrors mirrors = new RepositoryMirrors(Files.createTempDirectory("mirrors-ref-locks"), 30,
                ref -> Optional.empty(), LOCAL_ONLY);
        RepositorySnapshot repo = snapshot(Platform.GITEA, origin.url(), null);
        mirrors.fetch(repo, List.of("refs/heads/main", "refs/pull/10/head")).close();
        // what a scanner killed while its fetch replaced the refs leaves: each one's lock, and that of packed-refs.
        // Kept, JGit updates none of the fetch's refs, and says so only in the fetch's result.
        Path dir = mirrors.mirrorPath(repo.id());
        List<Path> locks = List.of(dir.resolve("refs/pull/10/head.lock"), dir.resolve("refs/heads/main.lock"),
                dir.resolve("packed-refs.lock"));
        for (Path lock : locks) {
            Files.createDirectories(lock.getParent());
            Files.writeString(lock, "0".repeat(40) + "\n");
        }
        String head = origin.work.write("README.md", "# two\n").commit("two");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/pull/10/head");

        try (Repository fetched = mirrors.fetch(repo, List.of("refs/heads/main", "refs/pull/10/head"))) {
            assertThat(fetched.exactRef("refs/pull/10/head").getObjectId().name()).isEqualTo(head);
            assertThat(fetched.exactRef("refs/heads/main").getObjectId().name()).isEqualTo(head);
        }
        assertThat(locks).allSatisfy(lock -> assertThat(lock).doesNotExist());
    }

    @Test
    void aRefTheFetchCannotUpdateFailsTheFetchNamingIt() throws Exception {
        TestOrigin origin = TestOrigin.create();
        origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/pull/10/head");
        RepositoryMirrors mirrors = new RepositoryMirrors(Files.createTempDirectory("mirrors-ref-conflict"), 30,
                ref -> Optional.empty(), LOCAL_ONLY);
        RepositorySnapshot repo = snapshot(Platform.GITEA, origin.url(), null);
        mirrors.fetch(repo, List.of("refs/pull/10/head")).close();
        // a ref below the name the fetch writes (a directory/file conflict): the update is refused
        try (Repository mirror = new FileRepositoryBuilder().setGitDir(mirrors.mirrorPath(repo.id()).toFile()).build()) {
            ObjectId first = mirror.resolve("refs/pull/10/head");
            RefUpdate delete = mirror.updateRef("refs/pull/10/head");
            delete.setForceUpdate(true);
            assertThat(delete.delete()).isEqualTo(RefUpdate.Result.FORCED);
            RefUpdate below = mirror.updateRef("refs/pull/10/head/old");
            below.setNewObjectId(first);
            assertThat(below.update()).isEqualTo(RefUpdate.Result.NEW);
        }
        String head = origin.work.write("README.md", "# two\n").commit("two");
        origin.push("refs/heads/main", "refs/pull/10/head");

        assertThatThrownBy(() -> mirrors.fetch(repo, List.of("refs/pull/10/head")))
                .isInstanceOf(FetchProblem.class)
                .hasMessageContaining("refs/pull/10/head was not updated to " + head + " in the mirror: LOCK_FAILURE");
    }

    @Test
    void pruningDeletesThePullRequestRefsNotKeptAndAMirrorOverItsSizeCapWhichTheNextFetchClonesAgain() throws Exception {
        Path root = Files.createTempDirectory("mirrors-prune");
        TestOrigin origin = TestOrigin.create();
        String head = origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/pull/3/head");
        origin.push("refs/heads/main", "refs/pull/4/head");
        RepositoryMirrors mirrors = new RepositoryMirrors(root, 30, ref -> Optional.empty(), LOCAL_ONLY);
        RepositorySnapshot repo = snapshot(Platform.GITHUB, origin.url(), null);
        mirrors.fetch(repo, List.of("refs/heads/main", "refs/pull/3/head", "refs/pull/4/head")).close();
        assertThat(mirrors.mirrored()).containsExactly(repo.id());

        RepositoryMirrors.Pruned pruned = mirrors.prune(repo.id(), Set.of(4), 1L << 30);

        assertThat(pruned.refsDeleted()).isEqualTo(1);
        assertThat(pruned.deleted()).isFalse();
        try (Repository mirror = mirrors.open(repo)) {
            assertThat(mirror.exactRef("refs/pull/3/head")).as("a pull request no longer reviewed").isNull();
            assertThat(mirror.exactRef("refs/pull/4/head").getObjectId().name()).isEqualTo(head);
            assertThat(mirror.exactRef("refs/heads/main").getObjectId().name()).isEqualTo(head);
        }

        RepositoryMirrors.Pruned overCap = mirrors.prune(repo.id(), Set.of(4), 1);
        assertThat(overCap.deleted()).isTrue();
        assertThat(mirrors.mirrorPath(repo.id())).doesNotExist();
        try (Repository mirror = mirrors.fetch(repo, List.of("refs/pull/3/head"))) {
            assertThat(mirror.exactRef("refs/pull/3/head").getObjectId().name()).isEqualTo(head);
        }
    }

    @Test
    void tokensGoOverHttpAsBasicCredentialsWithThePlatformsUserNameAndNeverReachTheDisk() throws Exception {
        TestOrigin origin = TestOrigin.create();
        String head = origin.work.write("README.md", "# secret project\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        origin.push("refs/heads/main", "refs/merge-requests/5/head");
        Path root = Files.createTempDirectory("mirrors-http");
        Map<String, String> tokens = Map.of("ci-token", TOKEN, "wrong-token", "not-the-token-0000");

        for (Platform platform : Platform.values()) {
            String user = GitCredentials.username(platform);
            try (SmartHttpGitServer server = new SmartHttpGitServer(origin.bare, user, TOKEN)) {
                String gitHost = server.url().getHost() + ":" + server.url().getPort();
                RepositoryMirrors mirrors = new RepositoryMirrors(root, 30, ref -> Optional.ofNullable(tokens.get(ref)),
                        new HostRules(Map.of("ci-token", bound(gitHost), "wrong-token", bound(gitHost)),
                                new AccessAllowances(false, true, true), HostResolver.SYSTEM));
                RepositorySnapshot repo = snapshot(platform, server.url().toString(), "ci-token");
                String ref = PlatformRefs.pullRequestHead(Platform.GITLAB, 5);
                try (Repository mirror = mirrors.fetch(repo, List.of("refs/heads/main", ref))) {
                    assertThat(mirror.exactRef(ref).getObjectId().name()).isEqualTo(head);
                }
                assertThat(server.usersSeen).as(platform + " user name").contains(user).containsOnly(user);
                assertNoFileContains(mirrors.mirrorPath(repo.id()), TOKEN);
                assertThat(Files.readString(mirrors.mirrorPath(repo.id()).resolve("config")))
                        .as("the URL is passed per fetch, not configured").doesNotContain(server.url().getAuthority());

                RepositorySnapshot refused = snapshot(platform, server.url().toString(), "wrong-token");
                assertThatThrownBy(() -> mirrors.fetch(refused, List.of("refs/heads/main")))
                        .isInstanceOf(FetchProblem.class)
                        .hasMessageContaining(server.url().toString())
                        .hasMessageNotContaining("not-the-token-0000")
                        .hasMessageNotContaining(TOKEN);
            }
        }
        assertThat(GitCredentials.username(Platform.GITHUB)).isEqualTo("x-access-token");
        assertThat(GitCredentials.username(Platform.GITLAB)).isEqualTo("oauth2");
        assertThat(GitCredentials.provider(Platform.GITEA, Optional.empty())).isNull();
        assertThat(GitCredentials.provider(Platform.GITEA, Optional.of(TOKEN)))
                .isInstanceOf(UsernamePasswordCredentialsProvider.class);
    }

    @Test
    void anUnconfiguredTokenReferenceIsNamedWithItsEnvironmentVariable() throws Exception {
        RepositoryMirrors mirrors = new RepositoryMirrors(Files.createTempDirectory("mirrors-unset"), 30, ref -> Optional.empty(),
                new HostRules(Map.of("acme-gitea-token", bound("gitea.example")), new AccessAllowances(false, false, true),
                        HostResolver.SYSTEM));
        RepositorySnapshot repo = snapshot(Platform.GITEA, "https://gitea.example/acme/docs.git", "acme-gitea-token");
        assertThatThrownBy(() -> mirrors.fetch(repo, List.of("refs/heads/main")))
                .isInstanceOf(FetchProblem.class)
                .hasMessageContaining("'acme-gitea-token'").hasMessageContaining("DREP_SECRETS_ACME_GITEA_TOKEN");
    }

    @Test
    void aTokenGoesOnlyToTheGitHostItIsBoundToAndNeverOverPlainHttp() throws Exception {
        TestOrigin origin = TestOrigin.create();
        origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        Path root = Files.createTempDirectory("mirrors-bound");
        try (SmartHttpGitServer server = new SmartHttpGitServer(origin.bare, "x-access-token", TOKEN)) {
            RepositorySnapshot repo = snapshot(Platform.GITHUB, server.url().toString(), "github-token");
            RepositoryMirrors boundElsewhere = new RepositoryMirrors(root, 30, ref -> Optional.of(TOKEN),
                    new HostRules(Map.of("github-token", bound("github.com")), new AccessAllowances(false, true, true),
                            HostResolver.SYSTEM));
            assertThatThrownBy(() -> boundElsewhere.fetch(repo, List.of("refs/heads/main")))
                    .isInstanceOf(FetchProblem.class)
                    .hasMessageContaining("token binding").hasMessageContaining("drep.platform-access.bindings.github-token");

            String gitHost = server.url().getHost() + ":" + server.url().getPort();
            RepositoryMirrors noPlainHttp = new RepositoryMirrors(root, 30, ref -> Optional.of(TOKEN),
                    new HostRules(Map.of("github-token", bound(gitHost)), new AccessAllowances(false, false, true),
                            HostResolver.SYSTEM));
            assertThatThrownBy(() -> noPlainHttp.fetch(repo, List.of("refs/heads/main")))
                    .isInstanceOf(FetchProblem.class).hasMessageContaining("no plain http");

            RepositoryMirrors noLoopback = new RepositoryMirrors(root, 30, ref -> Optional.of(TOKEN),
                    new HostRules(Map.of("github-token", bound(gitHost)), new AccessAllowances(false, true, false),
                            HostResolver.SYSTEM));
            assertThatThrownBy(() -> noLoopback.fetch(repo, List.of("refs/heads/main")))
                    .isInstanceOf(FetchProblem.class).hasMessageContaining("no private addresses");

            assertThat(server.usersSeen).as("the git server was never asked").isEmpty();
        }
    }

    @Test
    void fileUrlsAreFetchedOnlyWhenAllowed() throws Exception {
        TestOrigin origin = TestOrigin.create();
        origin.work.write("README.md", "# one\n").commit("one");
        origin.push("refs/heads/main", "refs/heads/main");
        RepositoryMirrors mirrors = new RepositoryMirrors(Files.createTempDirectory("mirrors-file"), 30,
                ref -> Optional.empty(), new HostRules(Map.of(), AccessAllowances.NONE, HostResolver.SYSTEM));
        assertThatThrownBy(() -> mirrors.fetch(snapshot(Platform.GITEA, origin.url(), null), List.of("refs/heads/main")))
                .isInstanceOf(FetchProblem.class).hasMessageContaining("no file URLs");
    }

    private static HostBinding bound(String gitHost) {
        return new HostBinding(List.of("https://api.example"), List.of(gitHost));
    }

    private static void assertNoFileContains(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as(file.toString()).doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static RepositorySnapshot snapshot(Platform platform, String url, String tokenRef) {
        return new RepositorySnapshot(UUID.randomUUID(), platform, "acme/docs", url, "https://api.example", null, "main", tokenRef);
    }
}
