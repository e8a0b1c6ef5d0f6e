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
# Suites run one after another: on small machines (2 cores) parallel suites starve the
# cooperative thread pool and latency-bound tests (connection leases, timeouts) become flaky.
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
exit "${PIPESTATUS[0]}"
