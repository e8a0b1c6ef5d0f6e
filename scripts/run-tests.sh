#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster that is always stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# Lint gate: the code must already be formatted (`make format` fixes most findings).
swift format lint --strict --recursive Sources Tests Package.swift
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
set +e  # run the end-to-end tests even when a Swift test failed; report both
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
swift_status=${PIPESTATUS[0]}

# End-to-end: the official MCP Python SDK (installed into .venv by `scripts/install-deps.sh test`)
# drives the real binary over Streamable HTTP and stdio, each server on a free port with a temp data dir.
if [ ! -x .venv/bin/python ]; then
  echo "No .venv: run scripts/install-deps.sh test (make test does) for the end-to-end tests." >&2
  exit 1
fi
MCPA_BINARY="$(swift build --show-bin-path)/mcp-analytics" .venv/bin/python -m pytest Tests/e2e -q -p no:cacheprovider
e2e_status=$?
echo "swift test exit $swift_status, end-to-end exit $e2e_status"
[ "$swift_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
