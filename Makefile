# NetRaven: `make demo` runs the lab and a capture; `make test` bootstraps, builds and runs every test.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: all build bootstrap test demo bench soak fuzz clean deb

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
	./scripts/check-deb

# Benchmarks against peers on this machine (release build); appends to docs/benchmarks.md. QUICK=1: small sizes.
bench: bootstrap
	NETRAVEN_BENCH_QUICK=$(QUICK) ./scripts/bench/run

# Fault tests too long for `make test` (docs/testing.md).
soak: bootstrap
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	NETRAVEN_SOAK=1 $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter Soak

# libFuzzer targets (swiftc -sanitize=fuzzer), >= 1M inputs each, seed corpus in Fuzz/corpus (docs/fuzzing.md).
fuzz: bootstrap
	./scripts/fuzz/run

clean:
	rm -rf .build .build-log.txt
