# NetRaven: `make demo` runs the lab and a capture; `make test` bootstraps, builds and runs every test.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: all build bootstrap test demo bench clean deb

all: build

bootstrap:
	./scripts/bootstrap

build:
	$(SWIFT) build $(BUILD_FLAGS) 2>&1 | tee .build-log.txt
	@./scripts/check-warnings .build-log.txt

test: bootstrap
	$(SWIFT) build --build-tests $(BUILD_FLAGS) 2>&1 | tee .build-log.txt
	@./scripts/check-warnings .build-log.txt
	rm -f .test-logs.jsonl
	NETRAVEN_LOG_TEE=$(CURDIR)/.test-logs.jsonl $(SWIFT) test --skip-build $(BUILD_FLAGS)
	./scripts/check-log-secrets .test-logs.jsonl

demo: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)
	./scripts/demo

# The Debian package from a release build with the Swift runtime linked in (docs/install.md); lands in .build/deb/.
deb: bootstrap
	./scripts/build-deb

bench:
	@echo "make bench: no benchmark harness yet (it arrives with the benchmarks issue, results in docs/benchmarks.md)" >&2
	@exit 1

clean:
	rm -rf .build .build-log.txt
