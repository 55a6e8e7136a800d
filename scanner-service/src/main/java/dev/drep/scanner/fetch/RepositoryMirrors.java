package dev.drep.scanner.fetch;

import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.HostRules;
import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.platform.PlatformAccess;
import dev.drep.scanner.repository.RepositorySnapshot;
import dev.drep.scanner.secrets.SecretReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.HttpConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.jboss.logging.Logger;

/**
 * One persistent bare mirror per registered repository under {@code drep.scanner.mirrors}, updated by
 * incremental fetches of exactly the refs a job needs (a branch, a pull request head). The clone URL is
 * passed on each fetch and never configured as a remote, and the token travels only in an in-memory
 * credentials provider: the mirror on disk holds neither. Fetches of one repository are serialized in
 * this process; each scanner replica keeps its own mirrors.
 */
@ApplicationScoped
public class RepositoryMirrors {
    private static final Logger LOG = Logger.getLogger(RepositoryMirrors.class);

    private final Path root;
    private final int timeoutSeconds;
    private final Function<String, Optional<String>> tokens;
    private final HostRules hosts;
    private final ConcurrentHashMap<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Inject
    public RepositoryMirrors(ScannerConfig config, SecretReferences secrets, PlatformAccess access) {
        this(Path.of(config.mirrors()), config.fetchTimeoutSeconds(), secrets::resolve, access.rules());
    }

    /**
     * @param root           folder of the mirrors
     * @param timeoutSeconds how long a fetch may stall
     * @param tokens         resolves a token reference to the token
     * @param hosts          where a clone URL may point and where a token may be sent
     */
    public RepositoryMirrors(Path root, int timeoutSeconds, Function<String, Optional<String>> tokens, HostRules hosts) {
        this.hosts = hosts;
        this.root = root.toAbsolutePath().normalize();
        this.timeoutSeconds = timeoutSeconds;
        this.tokens = tokens;
    }

    /** @return the folder of the repository's bare mirror */
    public Path mirrorPath(UUID repositoryId) {
        return root.resolve(repositoryId + ".git");
    }

    /**
     * Fetches {@code refs} (full ref names, e.g. {@code refs/heads/main}, {@code refs/pull/7/head}) from the
     * repository into the same names in its mirror, creating the mirror on first use.
     *
     * @return the mirror, open; the caller closes it
     * @throws FetchProblem when the remote cannot be reached, refuses the credentials or lacks a ref, or
     *                      when the host rules refuse the clone URL (or the token for its host)
     */
    public Repository fetch(RepositorySnapshot repository, List<String> refs) {
        try {
            // checked at each use, not only at registration: configuration may have changed since
            hosts.checkGitFetch("the clone URL of " + repository.fullName(), repository.tokenRef(), repository.cloneUrl());
        } catch (HostRuleViolation e) {
            throw new FetchProblem(e.getMessage());
        }
        Optional<String> token = repository.tokenRef() == null ? Optional.empty() : tokens.apply(repository.tokenRef());
        if (repository.tokenRef() != null && token.isEmpty()) {
            throw new FetchProblem("the token reference '" + repository.tokenRef() + "' of " + repository.fullName()
                    + " is not configured: set " + SecretReferences.environmentVariable(repository.tokenRef()));
        }
        ReentrantLock lock = locks.computeIfAbsent(repository.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            Repository mirror = open(mirrorPath(repository.id()));
            try {
                dropLeftLocks(mirrorPath(repository.id()));
                List<RefSpec> specs = new ArrayList<>();
                for (String ref : refs) {
                    specs.add(new RefSpec("+" + ref + ":" + ref));
                }
                long started = System.nanoTime();
                FetchResult fetched = new Git(mirror).fetch()
                        .setRemote(repository.cloneUrl())
                        .setRefSpecs(specs)
                        .setTagOpt(TagOpt.NO_TAGS)
                        .setTimeout(timeoutSeconds)
                        .setCredentialsProvider(GitCredentials.provider(repository.platform(), token))
                        .call();
                requireRefsUpdated(fetched);
                LOG.debugf("fetched %s from %s in %d ms", refs, repository.fullName(), (System.nanoTime() - started) / 1_000_000);
                return mirror;
            } catch (GitAPIException | IOException | RuntimeException e) {
                mirror.close();
                throw new FetchProblem("could not fetch " + String.join(", ", refs) + " of " + repository.fullName()
                        + " from " + repository.cloneUrl() + ": " + redact(describe(e), token));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the repository's mirror as the last fetch left it, without fetching (reading the blobs of a
     * job's units while they are sent).
     *
     * @return the mirror, open; the caller closes it
     * @throws FetchProblem when this replica has no mirror of the repository (removed meanwhile)
     */
    public Repository open(RepositorySnapshot repository) {
        Path dir = mirrorPath(repository.id());
        try {
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
        } catch (IOException e) {
            throw new FetchProblem("the mirror of " + repository.fullName() + " in " + dir + " is gone: " + e.getMessage());
        }
    }

    /** What pruning did to one mirror. */
    public record Pruned(int refsDeleted, long bytesAfter, boolean deleted) {
    }

    /** @return the repository ids of the mirrors this replica keeps */
    public List<UUID> mirrored() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<UUID> ids = new ArrayList<>();
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (name.endsWith(".git")) {
                    try {
                        ids.add(UUID.fromString(name.substring(0, name.length() - 4)));
                    } catch (IllegalArgumentException e) {
                        LOG.debugf("not a mirror, left alone: %s", dir);
                    }
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the mirrors in " + root, e);
        }
    }

    /**
     * Prunes one mirror under the repository's lock (no fetch runs meanwhile): deletes the pull request head refs
     * not in {@code keepPullRequests}, runs {@code git gc} (unreachable objects go), and deletes the whole mirror when
     * it is still larger than {@code maxBytes}; the next job of the repository clones it again.
     *
     * @param keepPullRequests the pull requests whose refs stay (those reviewed lately or still being reviewed)
     */
    public Pruned prune(UUID repositoryId, Set<Integer> keepPullRequests, long maxBytes) {
        Path dir = mirrorPath(repositoryId);
        ReentrantLock lock = locks.computeIfAbsent(repositoryId, id -> new ReentrantLock());
        lock.lock();
        try {
            if (!Files.isDirectory(dir)) {
                return new Pruned(0, 0, false);
            }
            int deleted = 0;
            try (Repository mirror = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build()) {
                dropLeftLocks(dir);
                List<String> stale = new ArrayList<>();
                for (Ref ref : mirror.getRefDatabase().getRefsByPrefix("refs/pull/", "refs/merge-requests/")) {
                    Integer number = PlatformRefs.pullRequestNumber(ref.getName());
                    if (number != null && !keepPullRequests.contains(number)) {
                        stale.add(ref.getName());
                    }
                }
                for (String name : stale) {
                    RefUpdate update = mirror.updateRef(name);
                    update.setForceUpdate(true);
                    RefUpdate.Result result = update.delete();
                    if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
                        throw new IOException("deleting " + name + " was refused: " + result);
                    }
                    deleted++;
                }
                // repacks what the kept refs reach; unreachable loose objects go after git's default two weeks,
                // so a planning still reading a commit it fetched minutes ago never loses it
                new Git(mirror).gc().call();
            } catch (IOException | GitAPIException e) {
                throw new FetchProblem("could not prune the mirror in " + dir + ": " + describe(e));
            }
            long size = sizeOf(dir);
            if (size > maxBytes) {
                LOG.infof("mirror %s is %d bytes after gc, over the cap of %d: deleted, cloned again on next use", dir, size,
                        maxBytes);
                deleteTree(dir);
                return new Pruned(deleted, 0, true);
            }
            return new Pruned(deleted, size, false);
        } finally {
            lock.unlock();
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("could not measure " + dir, e);
        }
    }

    /** Deletes the repository's mirror, if this replica has one. */
    public void remove(UUID repositoryId) {
        Path dir = mirrorPath(repositoryId);
        ReentrantLock lock = locks.computeIfAbsent(repositoryId, id -> new ReentrantLock());
        lock.lock();
        try {
            deleteTree(dir);
        } finally {
            lock.unlock();
            locks.remove(repositoryId);
        }
    }

    /**
     * Deletes the locks a fetch (or a gc) takes while it writes: the pack locks ({@code objects/pack/*.keep}) held
     * while a pack is indexed, and the {@code <file>.lock} beside each ref, {@code packed-refs} or the config while
     * it is replaced. Fetches of a mirror are serialized in this process and no other process writes to it, so
     * under the lock any such file was left by a scanner that was killed. Kept, a pack lock makes every later fetch
     * that receives the same objects fail with "Cannot lock pack", and a ref's lock keeps every ref of the fetch
     * where it was (found while looking into a CI failure in which a scanner was killed while it planned).
     */
    private static void dropLeftLocks(Path dir) throws IOException {
        List<Path> left = new ArrayList<>();
        // beside the mirror's own files (packed-refs, config, HEAD, FETCH_HEAD, shallow), its refs', its packs'
        // (not a walk of the objects: a mirror may hold many loose ones)
        collect(dir, "*.lock", left);
        collect(dir.resolve("objects").resolve("pack"), "*.keep", left);
        Path refs = dir.resolve("refs");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> files = Files.walk(refs)) {
                files.filter(file -> file.getFileName().toString().endsWith(".lock") && Files.isRegularFile(file))
                        .forEach(left::add);
            }
        }
        for (Path lock : left) {
            Files.deleteIfExists(lock);
            LOG.infof("deleted %s, a lock left by a fetch that did not finish", lock);
        }
    }

    private static void collect(Path dir, String glob, List<Path> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(into::add);
        }
    }

    /**
     * JGit reports a ref it could not update (its lock taken, say) in the result, not by an exception; the job
     * would then be planned on whatever the ref was before.
     */
    private static void requireRefsUpdated(FetchResult fetched) throws IOException {
        for (TrackingRefUpdate update : fetched.getTrackingRefUpdates()) {
            switch (update.getResult()) {
                case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {
                }
                default -> throw new IOException(update.getLocalName() + " was not updated to "
                        + update.getNewObjectId().name() + " in the mirror: " + update.getResult());
            }
        }
    }

    private static Repository open(Path dir) {
        try {
            if (Files.isDirectory(dir) && !(Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects")))) {
                // a mirror left half-made by a crash: start again rather than fail every job of the repository
                deleteTree(dir);
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try (Git created = Git.init().setBare(true).setDirectory(dir.toFile()).call()) {
                    StoredConfig config = created.getRepository().getConfig();
                    // JGit runs the automatic gc after fetches; in the foreground it stays under the
                    // repository's lock instead of racing the next fetch or a removal
                    config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
                    config.save();
                }
            }
            refuseRedirects(dir);
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
        } catch (IOException | GitAPIException e) {
            throw new FetchProblem("could not create the mirror in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A redirect would take the credentials to a host the host rules never saw: JGit follows the first one
     * by default ({@code http.followRedirects=initial}), so mirrors refuse them (older mirrors included).
     */
    private static void refuseRedirects(Path dir) throws IOException {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build()) {
            StoredConfig config = repository.getConfig();
            if (!"false".equals(config.getString(HttpConfig.HTTP, null, HttpConfig.FOLLOW_REDIRECTS_KEY))) {
                config.setString(HttpConfig.HTTP, null, HttpConfig.FOLLOW_REDIRECTS_KEY, "false");
                config.save();
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    /** JGit does not put credentials into messages; this is the second line of defence. */
    private static String redact(String message, Optional<String> token) {
        return token.filter(t -> !t.isEmpty()).map(t -> message.replace(t, "***")).orElse(message);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
