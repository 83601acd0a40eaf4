#!/usr/bin/env bash
# The failure-mode suite (RELIABILITY.md): each scenario drives model calls against the stack
# `./servinglayer up` runs on this machine, injects its fault (SIGSTOP/SIGKILL of a local process, deploys
# and key rotations through the admin API), and prints what the callers saw. Loopback only; about 7 minutes.
#
#   ./servinglayer up
#   benchmarks/scripts/failure-modes.sh [scenario…]   # deploys key-rotation instance-kill control-plane-down
#                                                      # redis-down postgres-down overload thundering-herd (all by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f .servinglayer/credentials.env ] || { echo "run ./servinglayer up first" >&2; exit 1; }
./mvnw -q -B -ntp -DskipTests package -pl benchmarks -am
./mvnw -q -B -ntp dependency:build-classpath -pl benchmarks -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt"
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.servinglayer.benchmarks.FailureModes "$@"
