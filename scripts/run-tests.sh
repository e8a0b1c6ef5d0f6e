#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster that is always stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
cluster=$(mktemp -d /tmp/mcpa-test-pg.XXXXXX)
chmod 755 "$cluster"
cleanup() { scripts/pg-cluster.sh stop "$cluster"; }
trap cleanup EXIT INT TERM
MCPA_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$cluster")
export MCPA_TEST_POSTGRES_URL
echo "Test PostgreSQL server on ${MCPA_TEST_POSTGRES_URL%%@*}@… (password redacted)" | sed 's#//postgres:[^@]*@#//postgres:***@#'
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee .build/test-output.txt
