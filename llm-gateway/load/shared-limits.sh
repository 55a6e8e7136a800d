#!/usr/bin/env bash
# What the shared limits cost per request (dev.drep.gateway.load.SharedLimitsLatencyRun in the
# gateway's test sources): admit and release statements against an embedded PostgreSQL.
#
#   llm-gateway/load/shared-limits.sh                     # 20,000 requests, 4 at once, 2 replicas
#   llm-gateway/load/shared-limits.sh clients=32 replicas=3
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
stage=$(mktemp -d -t shared-limits-XXXXXX)
# one reactor build: the classpath names the other drep modules' target/classes (nothing is installed)
./mvnw -B -q -o -pl llm-gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$stage/classpath.txt" >/dev/null
cp -r llm-gateway/target/test-classes "$stage/test-classes"
cp -r llm-gateway/target/classes "$stage/classes"
exec java -cp "$stage/test-classes:$stage/classes:$(cat "$stage/classpath.txt")" \
  dev.drep.gateway.load.SharedLimitsLatencyRun "$@"
