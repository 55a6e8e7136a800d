package dev.drep.gateway.load;

import dev.drep.core.identity.TokenHashes;
import dev.drep.embedded.LocalPostgres;
import dev.drep.testsupport.http.TestHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one hop costs, measured with the field's tools in one run: {@code wrk} sends the same OpenAI-style chat
 * completion request (a) straight to a provider that answers at once with a static answer (nginx's {@code return}),
 * (b) through a bare nginx reverse proxy to it, (b') through a bare Vert.x reverse proxy ({@link VertxHopFloor}: the
 * JVM's floor, on the gateway's own Vert.x and Netty), and (c) through the packaged gateway to it, with its limits on (set
 * high enough not to bind), the ledger written to an embedded PostgreSQL and the cache off (the same request every
 * time would otherwise be a cache hit, not a hop). Each hop's added latency is its percentile minus the direct
 * call's same percentile. Targets (issue 18): gateway-added p99 at most 2 ms at 4 connections; at 32 connections
 * at least 5,000 requests/s.
 *
 * <p>Run with {@code llm-gateway/load/hop.sh}; arguments are {@code key=value} pairs: {@code app} (the quarkus-app
 * directory), {@code seconds} (20 per measurement), {@code warmup-seconds} (20, the gateway's JIT: rounds of 2 s on
 * new connections, with the cluster's probes and scrapes every second, see {@link #warm}; each measured path is then
 * settled until the JIT is quiet, see {@link #settle}), {@code connections} (4,32: each is measured), {@code
 * threads} (2), {@code profile} (a file: the gateway runs under a JFR recording written there when it stops), {@code
 * replicas} (1; with more, that many gateways share their
 * limits on the one database, and at each connection count wrk also goes through nginx to the first replica alone
 * and to all of them in turn, so the two differ only in the number of replicas; the machine's busy CPU is printed
 * beside each figure), {@code cpus-per-replica} (none; a number such as 0.5 runs each gateway in a cgroup of its own
 * limited to that many CPUs by the kernel's CFS quota, as a Kubernetes CPU limit does, so that replicas can be
 * compared on a machine with fewer cores than they would take unlimited; the quota is lifted while the replicas warm
 * up, so that their JIT compilers finish first; needs root and a cgroup v1 {@code cpu} or cgroup v2 hierarchy),
 * {@code floor-work-us} (0; the Vert.x floor then spends that many microseconds of CPU per request, see
 * {@link VertxHopFloor}), {@code floor-event-loops} (two per CPU; 1 is the one-thread floor measured until session
 * 14), {@code floor-json-rounds} (0; the Vert.x floor then parses, writes and hashes a 6 KB request that many times
 * per request: real work, which a busy wait is not), {@code replica} ({@code floor}: the replicas are Vert.x floors,
 * not gateways, measured the same way: what a pair of the cheapest JVM proxy does on this machine), {@code
 * pin-replicas} ({@code true}: replica r runs on CPU r only, {@code taskset}); beside each gateway measurement the
 * gateway's own CPU time (by kind of thread, with its runs and run-queue waits), allocation and GC pauses per request
 * are printed, with what each request cost every process of the machine, and beside each measurement wrk's tail
 * (p95, p99.9, max); an argument {@code -Dname=value} is a setting passed to the gateway (e.g. {@code
 * -Ddrep.gateway.limits.shared=false}), and one {@code -XX:...} an option of its JVM (e.g. {@code -XX:+UseZGC}), and so
 * is one {@code -agentpath:...} (a profiler such as async-profiler). Needs {@code wrk} and {@code nginx} on the PATH
 * or in /usr/sbin (Debian's packages). Everything listens on 127.0.0.1 only.
 */
public final class GatewayHopRun {
    /** One client for the run's own calls (readings of the metrics, preflights): each new one starts a thread. */
    private static final TestHttpClient HTTP = TestHttpClient.create();

    private static final String TOKEN = TokenHashes.newToken();
    /** Rounds of 2 s in a row without compiling that {@link #settle} takes for a settled JIT. */
    private static final int QUIET_ROUNDS = 3;
    /** The static answer, with usage, as an OpenAI-compatible provider sends it. */
    private static final String ANSWER = "{\"id\":\"chatcmpl-hop\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"hop-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"No findings.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
            + "\"total_tokens\":15}}";
    private static final String REQUEST = "{\"model\":\"default\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Review this line: int x = 1;\"}]}";

    private GatewayHopRun() {
    }

    /** One wrk measurement: requests per second and latency percentiles in ms. */
    record Measured(double requestsPerSecond, double p50, double p75, double p90, double p99, long errors,
            double cpuBusy, double p95, double p999, double max) {
    }

    /**
     * @param args {@code key=value} pairs, see the class comment
     * @throws Exception when the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> gatewayProperties = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-D") || arg.startsWith("-XX:") || arg.startsWith("-agentpath:")) {
                // a setting of the gateway's own (-Ddrep.gateway.limits.shared=false) or of its JVM (-XX:+UseZGC, a
                // profiler's agent)
                gatewayProperties.add(arg);
                continue;
            }
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        Path app = Path.of(options.getOrDefault("app", "llm-gateway/target/quarkus-app"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "20"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        List<Integer> connections = new ArrayList<>();
        for (String c : options.getOrDefault("connections", "4,32").split(",")) {
            connections.add(Integer.parseInt(c.trim()));
        }
        String wrk = tool("wrk");
        String nginx = tool("nginx");
        int replicaCount = Integer.parseInt(options.getOrDefault("replicas", "1"));
        Path work = Files.createTempDirectory("gateway-hop-");
        int providerPort = GatewayLoadRun.freePort();
        int proxyPort = GatewayLoadRun.freePort();
        List<Integer> gatewayPorts = new ArrayList<>();
        for (int i = 0; i < replicaCount; i++) {
            gatewayPorts.add(GatewayLoadRun.freePort());
        }
        int oneReplicaPort = GatewayLoadRun.freePort();
        int allReplicasPort = GatewayLoadRun.freePort();
        Files.writeString(work.resolve("nginx.conf"), nginxConfig(work, providerPort, proxyPort, gatewayPorts,
                oneReplicaPort, allReplicasPort));
        Files.writeString(work.resolve("post.lua"), "wrk.method = \"POST\"\nwrk.body = '" + REQUEST + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + TOKEN + "\"\n"
                + "wrk.headers[\"X-Drep-Repository\"] = \"hop/repo\"\n"
                // the tail beyond wrk's own four percentiles, in microseconds
                + "done = function(summary, latency, requests)\n"
                + "  io.write(string.format(\"tail p95 %d p99.9 %d max %d\\n\", latency:percentile(95),"
                + " latency:percentile(99.9), latency.max))\nend\n");
        Process proxy = new ProcessBuilder(nginx, "-p", work.toString(), "-c", work.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
        // the JVM's own floor: a bare Vert.x proxy on the gateway's Vert.x and Netty, in a JVM of its own
        int floorPort = GatewayLoadRun.freePort();
        Process floor = startFloor(List.of(), work, floorPort, providerPort, options);
        try (LocalPostgres postgres = LocalPostgres.start(null, 0)) {
            int port = gatewayPorts.get(0);
            List<String> properties = new ArrayList<>(List.of(
                    "-Ddrep.gateway.cache.enabled=false",
                    // the limits run, set high enough that they never make a request wait
                    "-Ddrep.gateway.limits.max-concurrent=256",
                    // wrk's requests all name one repository
                    "-Ddrep.gateway.limits.max-concurrent-per-repository=256",
                    "-Ddrep.gateway.limits.requests-per-minute=100000000",
                    "-Ddrep.gateway.limits.tokens-per-minute=1000000000"));
            properties.addAll(gatewayProperties);
            if (options.containsKey("profile")) {
                // a JFR recording of the gateway, written when it stops
                properties.add(0, "-XX:StartFlightRecording=settings=profile,filename=" + options.get("profile"));
            }
            List<Process> gateways = new ArrayList<>();
            // none for a floor replica
            List<URI> managements = new ArrayList<>();
            // the replicas are Vert.x floors instead of gateways: what a pair of the cheapest JVM proxy does here
            boolean floorReplicas = "floor".equals(options.get("replica"));
            ClusterProbes probes = new ClusterProbes(managements);
            try {
                for (int gatewayPort : gatewayPorts) {
                    List<String> launcher = new ArrayList<>(options.containsKey("cpus-per-replica")
                            ? CpuQuota.launcher(gatewayPort, Double.parseDouble(options.get("cpus-per-replica")))
                            : List.of());
                    if (Boolean.parseBoolean(options.get("pin-replicas"))) {
                        // replica r on CPU r (modulo the CPUs), as Kubernetes' static CPU manager gives a pod a core
                        int cpu = gateways.size() % Runtime.getRuntime().availableProcessors();
                        launcher.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
                        System.out.printf(Locale.ROOT, "replica on port %d: pinned to CPU %d%n", gatewayPort, cpu);
                    }
                    if (floorReplicas) {
                        gateways.add(startFloor(launcher, work, gatewayPort, providerPort, options));
                        managements.add(null);
                        continue;
                    }
                    int managementPort = GatewayLoadRun.freePort();
                    managements.add(URI.create("http://127.0.0.1:" + managementPort));
                    Process gateway = GatewayLoadRun.startGateway(launcher, app, gatewayPort, managementPort, postgres,
                            "http://127.0.0.1:" + providerPort + "/v1", "hop-model", TOKEN, properties);
                    gateways.add(gateway);
                    GatewayLoadRun.awaitReady(URI.create("http://127.0.0.1:" + managementPort), gateway);
                }
                Map<Long, String> roles = new LinkedHashMap<>();
                // with wrk, its child: each wrk has ended and been waited for when the machine is read after it
                roles.put(ProcessHandle.current().pid(), "wrk and this run's JVM");
                roles.put(floor.pid(), "Vert.x floor");
                for (int r = 0; r < gateways.size(); r++) {
                    roles.put(gateways.get(r).pid(), (floorReplicas ? "floor replica " : "gateway replica ") + (r + 1));
                }
                String direct = "http://127.0.0.1:" + providerPort + "/v1/chat/completions";
                String proxied = "http://127.0.0.1:" + proxyPort + "/v1/chat/completions";
                String viaFloor = "http://127.0.0.1:" + floorPort + "/v1/chat/completions";
                String gatewayUrl = "http://127.0.0.1:" + port + "/v1/chat/completions";
                String oneReplica = "http://127.0.0.1:" + oneReplicaPort + "/v1/chat/completions";
                String allReplicas = "http://127.0.0.1:" + allReplicasPort + "/v1/chat/completions";
                for (String url : List.of(direct, proxied, viaFloor, gatewayUrl)) {
                    awaitAnswering(url);
                }
                if (replicaCount > 1) {
                    awaitAnswering(allReplicas);
                }
                System.out.printf(Locale.ROOT, "warm-up: %d s through the gateway, %d s through nginx%n", warmup,
                        Math.max(2, warmup / 4));
                CpuQuota.holdAll(false);
                probes.start();
                warm(wrk, work, gatewayUrl, threads, warmup);
                if (replicaCount > 1) {
                    // every replica as warm as the first (JIT), each on its own: behind a round-robin balancer a
                    // colder one would set the pace of all
                    for (int r = 1; r < replicaCount; r++) {
                        warm(wrk, work, "http://127.0.0.1:" + gatewayPorts.get(r) + "/v1/chat/completions", threads,
                                warmup);
                    }
                    warm(wrk, work, allReplicas, threads, Math.max(2, warmup / 4));
                }
                probes.steady();
                CpuQuota.holdAll(true);
                wrk(wrk, work, proxied, threads, 8, Math.max(2, warmup / 4));
                warm(wrk, work, viaFloor, threads, warmup);
                for (int c : connections) {
                    Measured provider = wrk(wrk, work, direct, threads, c, seconds);
                    Measured viaNginx = wrk(wrk, work, proxied, threads, c, seconds);
                    settle(wrk, work, viaFloor, threads, c, List.of(floor));
                    long floorTicks = cpuTicks(floor);
                    Measured viaVertx = wrk(wrk, work, viaFloor, threads, c, seconds);
                    floorTicks = cpuTicks(floor) - floorTicks;
                    settle(wrk, work, gatewayUrl, threads, c, gateways);
                    List<Cost> before = costs(gateways, managements);
                    MachineCpu machineBefore = MachineCpu.read(roles);
                    Measured viaGateway = wrk(wrk, work, gatewayUrl, threads, c, seconds);
                    MachineCpu machine = MachineCpu.read(roles).minus(machineBefore);
                    List<Cost> spent = spent(before, gateways, managements);
                    System.out.printf(Locale.ROOT, "%n%d connections, %d threads, %d s each (load %s):%n", c, threads,
                            seconds, Files.readString(Path.of("/proc/loadavg")).trim());
                    print("provider directly (nginx return)", provider, null);
                    print("bare nginx reverse-proxy hop", viaNginx, provider);
                    print(options.containsKey("floor-work-us") ? "Vert.x hop, " + options.get("floor-work-us")
                            + " us of work per request" : "bare Vert.x reverse-proxy hop (JVM floor)", viaVertx, provider);
                    System.out.printf(Locale.ROOT, "  %-48s %.0f us CPU/request%n", "Vert.x floor's own cost",
                            floorTicks * 10_000.0 / (viaVertx.requestsPerSecond() * seconds));
                    print(floorReplicas ? "Vert.x floor as replica 1" : "drep gateway hop (limits on, ledger, cache off)",
                            viaGateway, provider);
                    spent.get(0).orRequests(viaGateway.requestsPerSecond() * seconds).print("gateway's own cost", seconds);
                    machine.print(viaGateway.requestsPerSecond() * seconds);
                    if (replicaCount > 1) {
                        settle(wrk, work, oneReplica, threads, c, gateways);
                        List<Cost> beforeOne = costs(gateways, managements);
                        List<Long> throttledBeforeOne = CpuQuota.throttledMicros();
                        MachineCpu machineBeforeOne = MachineCpu.read(roles);
                        Measured one = wrk(wrk, work, oneReplica, threads, c, seconds);
                        MachineCpu machineOne = MachineCpu.read(roles).minus(machineBeforeOne);
                        List<Cost> spentOne = spent(beforeOne, gateways, managements);
                        List<Long> throttledOne = CpuQuota.throttledMicros();
                        settle(wrk, work, allReplicas, threads, c, gateways);
                        List<Cost> beforeAll = costs(gateways, managements);
                        List<Long> throttledBefore = CpuQuota.throttledMicros();
                        MachineCpu machineBeforeAll = MachineCpu.read(roles);
                        Measured all = wrk(wrk, work, allReplicas, threads, c, seconds);
                        MachineCpu machineAll = MachineCpu.read(roles).minus(machineBeforeAll);
                        List<Long> throttledAll = CpuQuota.throttledMicros();
                        List<Cost> spentAll = spent(beforeAll, gateways, managements);
                        print("nginx -> 1 gateway replica", one, provider);
                        spentOne.get(0).orRequests(one.requestsPerSecond() * seconds)
                                .print("replica 1's own cost", seconds);
                        printThrottled(throttledBeforeOne, throttledOne, 0, seconds);
                        machineOne.print(one.requestsPerSecond() * seconds);
                        print("nginx -> " + replicaCount + " gateway replicas in turn", all, provider);
                        for (int r = 0; r < replicaCount; r++) {
                            // a floor counts no requests: round robin gives each replica its share
                            spentAll.get(r).orRequests(all.requestsPerSecond() * seconds / replicaCount)
                                    .print("replica " + (r + 1) + "'s own cost", seconds);
                            printThrottled(throttledBefore, throttledAll, r, seconds);
                        }
                        machineAll.print(all.requestsPerSecond() * seconds);
                        System.out.printf(Locale.ROOT, "  %d replicas carry %.2f x what one does%n", replicaCount,
                                all.requestsPerSecond() / one.requestsPerSecond());
                    }
                }
            } finally {
                probes.close();
                for (Process gateway : gateways) {
                    gateway.destroy();
                    if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                        gateway.destroyForcibly();
                    }
                }
                CpuQuota.removeAll();
            }
        } finally {
            proxy.destroy();
            floor.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
            floor.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A cgroup per gateway replica with a CPU quota, the way a container runtime enforces a pod's CPU limit (CFS
     * bandwidth: so many microseconds of CPU per 100 ms period). The replica's JVM joins it before it starts, so it
     * sizes its event loops and its collector for the quota as it would in a pod.
     */
    static final class CpuQuota {
        private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
        private static final Path V2 = Path.of("/sys/fs/cgroup");
        private static final int PERIOD_US = 100_000;
        private static final List<CpuQuota> ALL = new ArrayList<>();

        private final Path group;
        private final long quota;
        private final boolean v1;

        private CpuQuota(Path group, long quota, boolean v1) {
            this.group = group;
            this.quota = quota;
            this.v1 = v1;
        }

        static List<String> launcher(int replicaPort, double cpus) throws IOException {
            long quota = Math.round(cpus * PERIOD_US);
            CpuQuota q;
            if (Files.isWritable(V1.resolve("cpu.cfs_quota_us"))) {
                q = new CpuQuota(V1.resolve("drep-hop-" + replicaPort), quota, true);
                Files.createDirectories(q.group);
                Files.writeString(q.group.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_US));
            } else if (Files.isWritable(V2.resolve("cgroup.subtree_control"))) {
                Files.writeString(V2.resolve("cgroup.subtree_control"), "+cpu");
                q = new CpuQuota(V2.resolve("drep-hop-" + replicaPort), quota, false);
                Files.createDirectories(q.group);
            } else {
                throw new IllegalStateException("cpus-per-replica needs a writable cgroup cpu controller ("
                        + V1 + " or " + V2 + "/cgroup.subtree_control): run as root on a host whose cgroups are"
                        + " not read-only");
            }
            q.hold(true);
            ALL.add(q);
            System.out.printf(Locale.ROOT, "replica on port %d: %.2f CPUs (cgroup %s)%n", replicaPort, cpus, q.group);
            // the shell joins the cgroup, then becomes the JVM (exec), which sizes itself for the quota as it starts
            return List.of("sh", "-c", "echo $$ > " + q.group.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
        }

        /**
         * Holds every replica to its quota, or lifts the quotas while the replicas warm up: a JVM held to half a CPU
         * spends minutes compiling its hot code (C2 took 27 s of CPU in a 90 s warm-up here), and a replica whose
         * compiler still runs measures the compiler.
         */
        static void holdAll(boolean held) throws IOException {
            for (CpuQuota q : ALL) {
                q.hold(held);
            }
        }

        /**
         * @return each replica's time held back by its quota so far, in microseconds ({@code throttled_usec} of
         *         cgroup v2's {@code cpu.stat}, {@code throttled_time} in ns of v1's), in the order they were made;
         *         summed over the CPUs whose run queues held its threads back, so up to the window times the CPUs
         */
        static List<Long> throttledMicros() throws IOException {
            List<Long> micros = new ArrayList<>();
            for (CpuQuota q : ALL) {
                String key = q.v1 ? "throttled_time " : "throttled_usec ";
                long value = Files.readAllLines(q.group.resolve("cpu.stat")).stream().filter(l -> l.startsWith(key))
                        .mapToLong(l -> Long.parseLong(l.substring(key.length()).trim())).sum();
                micros.add(q.v1 ? value / 1000 : value);
            }
            return micros;
        }

        /** Removes the replicas' cgroups, once their processes have ended. */
        static void removeAll() throws IOException {
            for (CpuQuota q : ALL) {
                Files.deleteIfExists(q.group);
            }
            ALL.clear();
        }

        private void hold(boolean held) throws IOException {
            if (v1) {
                Files.writeString(group.resolve("cpu.cfs_quota_us"), held ? Long.toString(quota) : "-1");
            } else {
                Files.writeString(group.resolve("cpu.max"), (held ? Long.toString(quota) : "max") + " " + PERIOD_US);
            }
        }
    }

    /**
     * @return the seconds the process's JIT compilers have spent so far ({@code jstat -compiler}'s Time, from the JVM's
     *         performance counters), or NaN when jstat cannot read them
     */
    static double jitSeconds(Process process) throws IOException, InterruptedException {
        Process jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(),
                "-compiler", Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String[] lines = out.split("\n");
        // Compiled Failed Invalid Time FailedType FailedMethod
        String[] fields = lines[lines.length - 1].trim().split("\\s+");
        if (jstat.waitFor() != 0 || lines.length < 2 || fields.length < 4) {
            return Double.NaN;
        }
        return Double.parseDouble(fields[3]);
    }

    /**
     * Warms what {@code url} serves for {@code seconds}, in rounds of 2 s, each on connections of its own (1, 4, 8 and
     * 32 in turn), as clients come and go. One long run on one set of connections trained the gateway's JIT on
     * traffic that never opens a connection: the measurement's new connections then deoptimized the event loops'
     * hottest compiled code, and the first half of the measurement ran while the compiler made it again (3-5 s of
     * compiling in a 20 s window; docs/benchmarks.md, session 15).
     */
    private static void warm(String wrk, Path work, String url, int threads, int seconds)
            throws IOException, InterruptedException {
        int[] connections = {1, 4, 8, 32};
        for (int elapsed = 0, round = 0; elapsed < seconds; elapsed += 2, round++) {
            wrk(wrk, work, url, threads, connections[round % connections.length], 2);
        }
    }

    /**
     * Sends {@code url} the measurement's own traffic in rounds of 2 s, each on new connections, until the JIT
     * compilers of {@code jvms} are quiet ({@value #QUIET_ROUNDS} rounds in a row with together less than 0.1 s of
     * compiling), for 60 s at most, and says how long that took. A JVM that idled while the others were measured, or
     * that is reached another way (through nginx instead of directly), deoptimizes and compiles again when the traffic
     * comes: a replica of a pair spent 4.6 s of a 15 s measurement compiling (session 15), and measured its compiler,
     * not its hop. One quiet round was not enough: a pair's replica settled that way still compiled 2.5 s in its
     * window.
     */
    private static void settle(String wrk, Path work, String url, int threads, int connections, List<Process> jvms)
            throws IOException, InterruptedException {
        double before = jitSeconds(jvms);
        int quiet = 0;
        for (int elapsed = 2; ; elapsed += 2) {
            wrk(wrk, work, url, threads, connections, 2);
            double after = jitSeconds(jvms);
            if (Double.isNaN(after)) {
                System.out.printf(Locale.ROOT, "  warmed %s for %d s (jstat cannot read the JIT)%n", url, elapsed);
                return;
            }
            quiet = after - before < 0.1 ? quiet + 1 : 0;
            if (quiet == QUIET_ROUNDS || elapsed >= 60) {
                System.out.printf(Locale.ROOT, "  settled %s in %d s (%s)%n", url, elapsed, quiet == QUIET_ROUNDS
                        ? "JIT quiet" : String.format(Locale.ROOT,
                                "JIT not yet quiet: %.1f s of compiling in the last 2 s", after - before));
                return;
            }
            before = after;
        }
    }

    /** @return the seconds all of {@code jvms} have spent compiling so far */
    private static double jitSeconds(List<Process> jvms) throws IOException, InterruptedException {
        double total = 0;
        for (Process jvm : jvms) {
            total += jitSeconds(jvm);
        }
        return total;
    }

    /**
     * What a cluster does to each gateway beside its traffic: the kubelet's readiness and liveness probes and a
     * Prometheus scrape, on the management interface. Every second while the gateways warm up, so that their JIT has
     * seen these requests as well (the run's first reading of the metrics otherwise deoptimized compiled code of the
     * HTTP path), then every 10 s, the chart's probe period.
     */
    static final class ClusterProbes implements AutoCloseable {
        private static final List<String> PATHS = List.of("/q/health/ready", "/q/health/live", "/q/metrics");
        private final List<URI> managements;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cluster-probes");
            thread.setDaemon(true);
            return thread;
        });
        private volatile boolean steady;
        private long ticks;

        /** @param managements each gateway's management interface ({@code null} for a floor: nothing to probe) */
        ClusterProbes(List<URI> managements) {
            this.managements = managements;
        }

        void start() {
            timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        }

        /** From now on every 10 s. */
        void steady() {
            steady = true;
        }

        private void tick() {
            if (steady && ++ticks % 10 != 0) {
                return;
            }
            for (URI management : managements) {
                if (management == null) {
                    continue;
                }
                for (String path : PATHS) {
                    try {
                        HTTP.send(HttpRequest.newBuilder(management.resolve(path)).build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (IOException e) {
                        // a gateway stopping at the end of the run: nothing to probe
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /**
     * The CPU time of every process on the machine and of its ended children, in ticks, by what it is: the run's own
     * JVMs by their role (this run's with wrk's), every other process by its command name (nginx's workers, which
     * serve both the provider's answer and the balancer, postgres's backends and background processes, the kernel's
     * workers). Read before and after a measurement, it says what each request cost the whole machine, and where a
     * pair's missing throughput went. A process that ended between two readings, and was not waited for by one that
     * is read, takes its ticks with it.
     */
    record MachineCpu(Map<String, Long> ticks) {
        static MachineCpu read(Map<Long, String> roles) throws IOException {
            Map<String, Long> byWhat = new TreeMap<>();
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) processes::iterator) {
                    String pid = process.getFileName().toString();
                    if (!pid.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        Stat stat = Stat.of(process.resolve("stat"));
                        // a kernel worker's name ends in what it works on now, which changes: one "kworker" for all
                        String name = stat.name().startsWith("kworker/") ? "kworker" : stat.name();
                        byWhat.merge(roles.getOrDefault(Long.parseLong(pid), name), stat.ticks() + stat.childTicks(),
                                Long::sum);
                    } catch (NoSuchFileException e) {
                        // the process ended while the machine's processes were read
                    }
                }
            }
            return new MachineCpu(byWhat);
        }

        MachineCpu minus(MachineCpu earlier) {
            Map<String, Long> spent = new TreeMap<>(ticks);
            earlier.ticks.forEach((what, before) -> spent.merge(what, -before, Long::sum));
            return new MachineCpu(spent);
        }

        /** Prints what each of {@code requests} cost the machine's processes, the larger first (1 us or more). */
        void print(double requests) {
            StringBuilder line = new StringBuilder();
            long total = ticks.values().stream().mapToLong(Long::longValue).sum();
            line.append(String.format(Locale.ROOT, "all %.0f", total * 10_000.0 / Math.max(1, requests)));
            ticks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .filter(what -> what.getValue() * 10_000.0 / Math.max(1, requests) >= 1)
                    .forEach(what -> line.append(String.format(Locale.ROOT, ", %s %.0f", what.getKey(),
                            what.getValue() * 10_000.0 / Math.max(1, requests))));
            System.out.printf(Locale.ROOT, "  %-48s %s%n", "machine's CPU, us/request", line);
        }
    }

    /** Prints how long replica {@code r}'s quota held it back between two readings (nothing without quotas). */
    private static void printThrottled(List<Long> before, List<Long> after, int r, int seconds) {
        if (r < after.size()) {
            System.out.printf(Locale.ROOT, "  %-48s %.0f ms of %d s (summed over the CPUs)%n",
                    "  held back by its CPU quota",
                    (after.get(r) - before.get(r)) / 1000.0, seconds);
        }
    }

    /** @return the process's CPU time so far (user and system, from /proc), in ticks of 1/100 s (USER_HZ) */
    static long cpuTicks(Process process) throws IOException {
        return Stat.of(Path.of("/proc/" + process.pid() + "/stat")).ticks();
    }

    /**
     * A process's or thread's {@code stat} file in /proc: its name (the command's, or the thread's; Linux keeps 15
     * characters of it), its CPU time so far (user and system, fields 14 and 15) and that of its children that ended
     * and were waited for (fields 16 and 17: wrk's, for this run's JVM), in ticks of 1/100 s (USER_HZ).
     */
    record Stat(String name, long ticks, long childTicks) {
        /** @throws NoSuchFileException when the process or thread has ended */
        static Stat of(Path file) throws IOException {
            String stat = Files.readString(file);
            // the name is in parentheses and may hold spaces and parentheses itself; the fields follow the last one
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // counted from the state, field 3
            return new Stat(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
        }
    }

    /**
     * @return what the process's live threads have had of the CPUs so far, by kind of thread: the thread's name
     *         without its number ("vert.x-eventloop-thread-", "C2 CompilerThread", "GC Thread#"; Linux keeps 15
     *         characters of it). A thread that ended between two readings takes its share with it.
     */
    static Map<String, ThreadUse> threadUse(Process process) throws IOException {
        Map<String, ThreadUse> byKind = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String kind = Stat.of(task.resolve("stat")).name().replaceAll("[-#]?[0-9]+$", "");
                    byKind.merge(kind, ThreadUse.of(task.resolve("schedstat")), ThreadUse::plus);
                } catch (NoSuchFileException e) {
                    // the thread ended while the process's threads were read
                }
            }
        }
        return byKind;
    }

    /**
     * A thread's {@code schedstat} in /proc: the nanoseconds it ran on a CPU, the nanoseconds it waited in a run
     * queue (ready, but another thread had the CPU, or its cgroup's quota was spent), and how many times it was given
     * a CPU. The runs per request say how many requests one wake-up of an event loop serves.
     */
    record ThreadUse(long runNanos, long waitNanos, long runs) {
        static ThreadUse of(Path schedstat) throws IOException {
            String[] fields = Files.readString(schedstat).trim().split(" ");
            return new ThreadUse(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        }

        ThreadUse plus(ThreadUse other) {
            return new ThreadUse(runNanos + other.runNanos, waitNanos + other.waitNanos, runs + other.runs);
        }

        ThreadUse minus(ThreadUse earlier) {
            return new ThreadUse(runNanos - earlier.runNanos, waitNanos - earlier.waitNanos, runs - earlier.runs);
        }
    }

    /**
     * What the gateway's process spent, read before and after a measurement: its CPU time (user and system, from
     * /proc), and by kind of thread ({@link #threadUse}: the event loops, the JIT, the collector), the bytes its JVM
     * allocated, its collector's pauses and the requests that waited more than 1 ms for admission by the limits
     * (from its own Micrometer metrics on the management interface), and the seconds its JIT compiled
     * ({@link #jitSeconds(Process)}: a window with seconds of it measured the compiler). Per request, these do not
     * depend on how busy the machine is, unlike the latencies.
     */
    record Cost(long cpuTicks, double requests, double allocatedBytes, double pauses, double pauseSeconds,
            double slowAdmissions, double compileSeconds, Map<String, ThreadUse> threads) {
        static Cost of(Process gateway, URI management) throws IOException, InterruptedException {
            long ticks = GatewayHopRun.cpuTicks(gateway);
            Map<String, ThreadUse> threads = GatewayHopRun.threadUse(gateway);
            double compiling = GatewayHopRun.jitSeconds(gateway);
            if (management == null) {
                // a floor: its CPU time and JIT only
                return new Cost(ticks, Double.NaN, 0, 0, 0, 0, compiling, threads);
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(management.resolve("/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return new Cost(ticks, sum(metrics, "http_server_requests_seconds_count", "uri=\"/v1/chat/completions\""),
                    sum(metrics, "jvm_gc_memory_allocated_bytes_total", ""),
                    sum(metrics, "jvm_gc_pause_seconds_count", ""), sum(metrics, "jvm_gc_pause_seconds_sum", ""),
                    sum(metrics, "drep_gateway_queue_wait_seconds_count", "")
                            - bucket(metrics, "drep_gateway_queue_wait_seconds_bucket", 0.001), compiling, threads);
        }

        /** @return this cost, or, when it counted no requests (a floor's), this one with {@code count} */
        Cost orRequests(double count) {
            return Double.isNaN(requests) ? new Cost(cpuTicks, count, allocatedBytes, pauses, pauseSeconds,
                    slowAdmissions, compileSeconds, threads) : this;
        }

        Cost minus(Cost earlier) {
            Map<String, ThreadUse> spent = new TreeMap<>();
            threads.forEach((kind, use) -> spent.put(kind,
                    use.minus(earlier.threads.getOrDefault(kind, new ThreadUse(0, 0, 0)))));
            return new Cost(cpuTicks - earlier.cpuTicks, requests - earlier.requests,
                    allocatedBytes - earlier.allocatedBytes,
                    pauses - earlier.pauses, pauseSeconds - earlier.pauseSeconds,
                    slowAdmissions - earlier.slowAdmissions, compileSeconds - earlier.compileSeconds, spent);
        }

        void print(String what, int seconds) {
            // the kernel counts CPU time in ticks of 1/100 s (USER_HZ)
            System.out.printf(Locale.ROOT, "  %-48s %.0f requests, cpu %.0f us/request, allocated %.1f KB/request, %.0f"
                            + " GC pauses (%.1f%% of the time, %.2f ms each), %.0f admitted after more than 1 ms"
                            + " (%.2f%%), JIT compiling %.1f s%n", what, requests,
                    cpuTicks * 10_000.0 / Math.max(1, requests), allocatedBytes / 1024 / Math.max(1, requests),
                    pauses, 100 * pauseSeconds / seconds, pauses == 0 ? 0 : 1000 * pauseSeconds / pauses,
                    slowAdmissions, 100 * slowAdmissions / Math.max(1, requests), compileSeconds);
            // the kinds of thread that ran 1 us or more per request, the busiest first
            StringBuilder line = new StringBuilder();
            double perRequest = Math.max(1, requests);
            threads.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, ThreadUse> kind) -> kind.getValue().runNanos())
                            .reversed())
                    .filter(kind -> kind.getValue().runNanos() / perRequest >= 1_000)
                    .forEach(kind -> line.append(String.format(Locale.ROOT, "; %s ran %.0f us in %.2f runs, waited"
                                    + " %.0f us", kind.getKey(), kind.getValue().runNanos() / perRequest / 1000,
                            kind.getValue().runs() / perRequest, kind.getValue().waitNanos() / perRequest / 1000)));
            System.out.printf(Locale.ROOT, "  %-48s %s%n", "  by thread, per request", line.substring(2));
        }

        /** @return a histogram's count at its smallest bucket bound of at least {@code atLeast} seconds */
        private static double bucket(String metrics, String name, double atLeast) {
            double bound = Double.MAX_VALUE;
            double count = 0;
            for (String line : metrics.split("\n")) {
                int le = line.indexOf("le=\"");
                if (line.startsWith(name + "{") && le > 0) {
                    String value = line.substring(le + 4, line.indexOf('"', le + 4));
                    double upper = value.equals("+Inf") ? Double.MAX_VALUE : Double.parseDouble(value);
                    if (upper >= atLeast && upper < bound) {
                        bound = upper;
                        count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
            return count;
        }

        /** @return the sum of a metric's series whose labels contain {@code labels} */
        private static double sum(String metrics, String name, String labels) {
            double total = 0;
            for (String line : metrics.split("\n")) {
                if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }
    }

    private static List<Cost> costs(List<Process> gateways, List<URI> managements)
            throws IOException, InterruptedException {
        List<Cost> costs = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            costs.add(Cost.of(gateways.get(i), managements.get(i)));
        }
        return costs;
    }

    private static List<Cost> spent(List<Cost> before, List<Process> gateways, List<URI> managements)
            throws IOException, InterruptedException {
        List<Cost> after = costs(gateways, managements);
        List<Cost> spent = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            spent.add(after.get(i).minus(before.get(i)));
        }
        return spent;
    }

    /** A {@link VertxHopFloor} in a JVM of its own, run through {@code launcher} (a cgroup's shell, or nothing). */
    private static Process startFloor(List<String> launcher, Path work, int port, int providerPort,
            Map<String, String> options) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), VertxHopFloor.class.getName(), Integer.toString(port),
                Integer.toString(providerPort), options.getOrDefault("floor-work-us", "0"),
                options.getOrDefault("floor-event-loops", "0"), options.getOrDefault("floor-json-rounds", "0")));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("floor-" + port + ".out").toFile()).start();
    }

    /** {@link #preflight}, once what listens at {@code url} has started (30 s at most). */
    private static void awaitAnswering(String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                preflight(url);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    /** One request as wrk sends it: the run is only worth anything when it is answered 200. */
    private static void preflight(String url) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .header("X-Drep-Repository", "hop/repo").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + answer.statusCode() + " from " + url + ": " + answer.body());
        }
    }

    private static void print(String what, Measured m, Measured base) {
        System.out.printf(Locale.ROOT, "  %-48s %8.0f req/s  p50 %6.3f  p75 %6.3f  p90 %6.3f  p99 %6.3f ms  cpu %3.0f%%%s%n",
                what, m.requestsPerSecond(), m.p50(), m.p75(), m.p90(), m.p99(), m.cpuBusy(), m.errors() > 0 ? "  ("
                        + m.errors() + " errors)" : "");
        if (base != null) {
            System.out.printf(Locale.ROOT, "  %-48s added    p50 %6.3f  p75 %6.3f  p90 %6.3f  p99 %6.3f ms%n", "",
                    m.p50() - base.p50(), m.p75() - base.p75(), m.p90() - base.p90(), m.p99() - base.p99());
        }
        System.out.printf(Locale.ROOT, "  %-48s tail     p95 %6.3f  p99.9 %6.3f  max %6.3f ms%n", "", m.p95(), m.p999(),
                m.max());
    }

    private static Measured wrk(String wrk, Path work, String url, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        long[] cpuBefore = cpuTicks();
        Process run = new ProcessBuilder(wrk, "-t" + Math.min(threads, connections), "-c" + connections,
                "-d" + seconds + "s", "--latency", "-s", work.resolve("post.lua").toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (run.waitFor() != 0) {
            throw new IllegalStateException("wrk failed on " + url + ":\n" + out);
        }
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + out);
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(out);
        long errors = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        if (errors > 0) {
            System.out.println("wrk on " + url + " saw errors:\n" + out);
        }
        long[] cpuAfter = cpuTicks();
        double busy = 100.0 * (cpuAfter[0] - cpuBefore[0]) / Math.max(1, cpuAfter[1] - cpuBefore[1]);
        Matcher tail = Pattern.compile("tail p95 (\\d+) p99.9 (\\d+) max (\\d+)").matcher(out);
        if (!tail.find()) {
            throw new IllegalStateException("no tail line in wrk's output:\n" + out);
        }
        return new Measured(Double.parseDouble(rps.group(1)), percentile(out, "50"), percentile(out, "75"),
                percentile(out, "90"), percentile(out, "99"), errors, busy, Long.parseLong(tail.group(1)) / 1000.0,
                Long.parseLong(tail.group(2)) / 1000.0, Long.parseLong(tail.group(3)) / 1000.0);
    }

    /** @return the machine's busy and total CPU ticks so far, from /proc/stat (all cores) */
    private static long[] cpuTicks() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {total - idle, total};
    }

    /** A percentile line of wrk's {@code --latency} distribution, in ms. */
    private static double percentile(String out, String p) {
        Matcher m = Pattern.compile("\\s" + p + "%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + "% line in wrk's output:\n" + out);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static String nginxConfig(Path work, int providerPort, int proxyPort, List<Integer> gatewayPorts,
            int oneReplicaPort, int allReplicasPort) {
        StringBuilder replicas = new StringBuilder();
        for (int gatewayPort : gatewayPorts) {
            replicas.append(" server 127.0.0.1:").append(gatewayPort).append(';');
        }
        String proxy = " proxy_http_version 1.1; proxy_set_header Connection \"\"; }";
        return String.join("\n",
                "daemon off;",
                "worker_processes auto;",
                "pid " + work.resolve("nginx.pid") + ";",
                "error_log " + work.resolve("error.log") + " warn;",
                "events { worker_connections 1024; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + work.resolve("body") + ";",
                "  proxy_temp_path " + work.resolve("proxy") + ";",
                "  fastcgi_temp_path " + work.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + work.resolve("uwsgi") + ";",
                "  scgi_temp_path " + work.resolve("scgi") + ";",
                "  upstream provider { server 127.0.0.1:" + providerPort + "; keepalive 64; }",
                "  server {",
                "    listen 127.0.0.1:" + providerPort + ";",
                "    location /v1/chat/completions { default_type application/json; return 200 '" + ANSWER + "'; }",
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + proxyPort + ";",
                "    location / { proxy_pass http://provider;" + proxy,
                "  }",
                "  upstream one_replica { server 127.0.0.1:" + gatewayPorts.get(0) + "; keepalive 64; }",
                "  upstream all_replicas {" + replicas + " keepalive 64; }",
                "  server { listen 127.0.0.1:" + oneReplicaPort + "; location / { proxy_pass http://one_replica;"
                        + proxy + " }",
                "  server { listen 127.0.0.1:" + allReplicasPort + "; location / { proxy_pass http://all_replicas;"
                        + proxy + " }",
                "}", "");
    }

    /** @return the tool's path: on the PATH, or Debian's /usr/sbin for nginx */
    private static String tool(String name) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: apt-get install wrk nginx (Debian's packages)");
    }
}
