# The two commands a newcomer needs: `make demo` runs the product, `make test` runs every test.
SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: demo test build release deps-demo deps-test format lint clean

demo: deps-demo release
	.build/release/mcp-analytics serve --demo --host $(HOST) --port $(PORT)

test: deps-test
	scripts/run-tests.sh

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product mcp-analytics

deps-demo:
	scripts/install-deps.sh demo

deps-test:
	scripts/install-deps.sh test

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build
