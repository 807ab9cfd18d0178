# The README's two commands, and the few others a developer needs.
#   make demo        bootstrap, build, run the gateway's demo
#   make test        bootstrap, build, run every test (PRESET=asan for the sanitizer build)
#   make test-fast   the unit tests only, in seconds
#   make bench       the benchmarks in tests/bench, printing their figures
PRESET ?= default
BUILD_DIR := build/$(PRESET)
# Two cores: the heavier integration tests (crash, concurrency) each want one.
CTEST_JOBS ?= 2

.PHONY: all bootstrap configure build test test-fast demo bench clean

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

test: build
	ctest --preset $(PRESET) --parallel $(CTEST_JOBS)

test-fast: build
	ctest --preset $(PRESET) --parallel $(CTEST_JOBS) -L unit

demo: build
	@scripts/demo $(BUILD_DIR)

bench: build
	$(BUILD_DIR)/tests/bench/store_bench
	$(BUILD_DIR)/tests/bench/escalation_bench
	$(BUILD_DIR)/tests/bench/web_bench
	$(BUILD_DIR)/tests/bench/upload_bench

clean:
	rm -rf build
