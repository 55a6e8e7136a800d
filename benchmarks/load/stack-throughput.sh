#!/usr/bin/env bash
# Review throughput of the whole stack (dev.drep.benchmarks.StackThroughputBenchmark): `drep up` with the
# four packaged services, embedded PostgreSQL and Artemis, the gateway at a global limit of 5 calls against
# a fake OpenAI-compatible provider answering after 2 s; 100 pull requests of about 20 changed files, each
# in its own git repository, submitted at once. Prints PRs per hour, LLM calls per PR (drep vs naive),
# coverage and the non-LLM share of the wall time. Takes about 10 minutes on 2 cores.
#
#   benchmarks/load/stack-throughput.sh                          # build, stage, run
#   benchmarks/load/stack-throughput.sh --prs 200 --latency-ms 1000
#   SKIP_BUILD=1 benchmarks/load/stack-throughput.sh             # reuse what the targets hold
#   SKIP_BUILD=1 STACK_HOME=/tmp/staged benchmarks/load/stack-throughput.sh   # a stack staged earlier
#
# The packaged services and the launcher are copied to a temporary folder first (unless STACK_HOME names
# one laid out like the repository: launcher/target and <service>/target/quarkus-app), so a build running
# meanwhile cannot pull files from under the stack.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ "${SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q -DskipTests -pl launcher,scanner-service,analyzer-service,llm-gateway,review-publisher,benchmarks \
    -am install
fi
stage=$(mktemp -d -t drep-stack-bench-XXXXXX)
cp benchmarks/target/benchmarks.jar "$stage/benchmarks.jar"
home="${STACK_HOME:-}"
if [ -z "$home" ]; then
  home="$stage/home"
  for module in scanner-service analyzer-service llm-gateway review-publisher; do
    mkdir -p "$home/$module/target"
    cp -r "$module/target/quarkus-app" "$home/$module/target/"
  done
  mkdir -p "$home/launcher/target"
  cp -r launcher/target/drep-launcher.jar launcher/target/lib "$home/launcher/target/"
fi
echo "staged in $stage (stack from $home)"
java -version 2>&1 | head -1
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx1g -cp "$stage/benchmarks.jar" dev.drep.benchmarks.StackThroughputBenchmark \
  --home "$home" --work "$stage/work" "$@"
