#!/usr/bin/env bash
# Runs the VarLearn TV benchmark (org.varlearn.bench.TvBenchmark) from the repository root.
# Usage: bench/run-tv-benchmark.sh [--quick] [--no-speed] [--no-quality] [--shared ../shared] [--out FILE]
# Writes bench-results/tv_benchmark.json (default) and prints the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/classes/org/varlearn/bench/TvBenchmark.class ] || [ ! -f target/bench.classpath ] \
   || [ -n "$(find src/main -newer target/bench.classpath -name '*.java' -print -quit)" ]; then
  mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
fi
exec java -Xmx6g -Djava.awt.headless=true -cp "target/classes:$(cat target/bench.classpath)" \
  org.varlearn.bench.TvBenchmark "$@"
