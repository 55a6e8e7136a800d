#!/usr/bin/env bash
# Load run of the packaged llm-gateway against the fake OpenAI-compatible provider
# (dev.drep.gateway.load.GatewayLoadRun in the gateway's test sources): 1,000 requests at 2 s
# provider latency under a global limit of 5; prints throughput and gateway-added latency.
#
#   llm-gateway/load/run.sh                       # the default run, about 7 minutes
#   llm-gateway/load/run.sh requests=200 latency-ms=500 clients=20
#   SKIP_BUILD=1 llm-gateway/load/run.sh          # reuse what target/ already holds
#   APP=/some/quarkus-app SKIP_BUILD=1 llm-gateway/load/run.sh   # measure another packaged gateway
#
# The gateway is packaged into llm-gateway/target/load-app, not target/quarkus-app, so a load run
# never replaces the application a running `drep up` uses. The packaged gateway and the compiled
# runner are copied to a temporary directory first, so a build running meanwhile cannot pull files
# from under the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ "${SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q -pl test-support install -DskipTests
  ./mvnw -B -q -pl llm-gateway package -DskipTests -Dquarkus.package.output-directory=load-app
fi
app=${APP:-llm-gateway/target/load-app}
if [ -z "${APP:-}" ] && [ ! -f "$app/quarkus-run.jar" ]; then
  app=llm-gateway/target/quarkus-app
fi
stage=$(mktemp -d -t gateway-load-XXXXXX)
cp -r "$app" "$stage/app"
cp -r llm-gateway/target/test-classes "$stage/test-classes"
./mvnw -B -q -pl llm-gateway dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$stage/classpath.txt"
echo "staged in $stage"
exec java -cp "$stage/test-classes:$(cat "$stage/classpath.txt")" dev.drep.gateway.load.GatewayLoadRun \
  app="$stage/app" "$@"
