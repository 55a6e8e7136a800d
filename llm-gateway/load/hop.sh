#!/usr/bin/env bash
# What one hop costs, measured with wrk in one run (dev.drep.gateway.load.GatewayHopRun in the gateway's test
# sources): the same chat completion request straight to a static OpenAI-style answer (nginx `return`), through a
# bare nginx reverse proxy, through a bare Vert.x reverse proxy (the JVM's floor, on the gateway's own Vert.x and
# Netty: dev.drep.gateway.load.VertxHopFloor), and through the packaged gateway (limits on, ledger written, cache
# off), at 4 and at 32 connections; prints requests/s, latency percentiles and what each hop adds.
#
#   llm-gateway/load/hop.sh                              # 20 s per measurement, about 4-5 minutes
#   llm-gateway/load/hop.sh seconds=30 connections=4,32,64
#   SKIP_BUILD=1 llm-gateway/load/hop.sh                 # reuse what target/ already holds
#   llm-gateway/load/hop.sh -Ddrep.gateway.limits.shared=false   # a gateway setting of its own
#   llm-gateway/load/hop.sh connections=32 replicas=2 cpus-per-replica=0.5   # 1 vs 2 replicas, each held to half a
#                                                       # CPU by a cgroup's CFS quota (as a pod's CPU limit; root)
#   llm-gateway/load/hop.sh connections=32 replicas=2 cpus-per-replica=0.25 pin-replicas=true   # and each replica
#                                                       # on a CPU of its own (taskset), as a static CPU manager does
#   llm-gateway/load/hop.sh connections=4 floor-work-us=100   # the Vert.x floor spending 100 us of CPU per request
#   llm-gateway/load/hop.sh connections=32 replicas=2 cpus-per-replica=0.5 replica=floor floor-work-us=150
#                                                       # the same pair measurement with Vert.x floors as replicas
#
# Beside each gateway measurement it prints the gateway's own CPU time (by kind of thread: time run, runs, time waited
# for a CPU), allocation and GC pauses per request, what each request cost every process of the machine, and the
# seconds its JIT compiled in the window, and beside every measurement wrk's tail (p95, p99.9, max). The JVMs warm in
# rounds on new connections, with the cluster's probes and scrapes, and each measured path is settled until their JIT
# is quiet (GatewayHopRun.warm, settle).
#
# Needs Debian's wrk and nginx (apt-get install wrk nginx). Everything listens on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "$tool is not installed: apt-get install wrk nginx" >&2
    exit 2
  fi
done
stage=$(mktemp -d -t gateway-hop-XXXXXX)
if [ "${SKIP_BUILD:-}" != "1" ]; then
  # one reactor build: the classpath then names this build's own modules (target/), never ~/.m2's copies
  ./mvnw -B -q -o -pl llm-gateway -am package dependency:build-classpath -DskipTests \
    -Dquarkus.package.output-directory=load-app -Dmdep.includeScope=test -Dmdep.outputFile="$stage/classpath.txt"
else
  # compile (incremental): the reactor's own modules resolve to their target/classes, with or without ~/.m2 copies
  ./mvnw -B -q -o -pl llm-gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$stage/classpath.txt" >/dev/null
fi
app=${APP:-llm-gateway/target/load-app}
cp -r "$app" "$stage/app"
cp -r llm-gateway/target/test-classes "$stage/test-classes"
echo "staged in $stage"
exec java -cp "$stage/test-classes:$(cat "$stage/classpath.txt")" dev.drep.gateway.load.GatewayHopRun \
  app="$stage/app" "$@"
