#!/usr/bin/env bash
# JMH: nanoseconds per step() of every scheduler type with 1 and 8 param groups. Run by hand.
# Usage: bench/engine.sh [extra JMH args, e.g. -p type=OneCycleLR]
# The benchmarks live in src/bench/java and are compiled (with JMH's annotation processor) only in
# the Maven profile "benchmark", into target/test-classes.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbenchmark -DskipTests -Djacoco.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
  'dev.stepwise.schedule.bench.StepBenchmark' -rf text -rff target/engine-benchmark.txt "$@"
