# billcheck - invoice exception checker.  See README.md.
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wundef -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wcast-qual \
           -Werror
ALL_CFLAGS := -std=c11 -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L \
              $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
LIBS    := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml) -lcsv \
           $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -pthread
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
BUILD   ?= build
VERSION := 0.1.0

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/checks/*.c)
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/default_rules.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all test check clang asan tsan leakcheck install clean format lint bench

all: billcheck

billcheck: $(BUILD)/billcheck
	cp $< $@

$(BUILD)/billcheck: $(BUILD)/main.o $(BUILD)/libbillcheck.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libbillcheck.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -DBILLCHECK_VERSION='"$(VERSION)"' -MMD -MP -c -o $@ $<

# The built-in rules are rules/default.yaml, embedded byte for byte.
$(BUILD)/default_rules.c: rules/default.yaml
	@mkdir -p $(BUILD)
	{ echo '/* generated from rules/default.yaml by make */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char default_rules_yaml[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/(char)0x\1,/g'; \
	  echo '0};'; \
	  echo 'const size_t default_rules_len = sizeof(default_rules_yaml) - 1;'; \
	} > $@

$(BUILD)/default_rules.o: $(BUILD)/default_rules.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/run_checks.h $(BUILD)/libbillcheck.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libbillcheck.a $(LIBS) $(TEST_LIBS)

# make test: unit binaries, then golden end-to-end cases; the last line is
# "N passed, N failed" and the exit status is non-zero on any failure.
test: $(BUILD)/billcheck $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

# Everything CI runs: the suite with gcc, with clang, under ASan + UBSan,
# the golden runs under valgrind, and, where chromium is installed, the
# HTML report in a browser.
check: test clang asan tsan leakcheck
	@if command -v $(CHROMIUM) >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory htmltest; \
	else echo "htmltest skipped: $(CHROMIUM) is not installed" >&2; fi

# The HTML report rendered by headless Chromium and its markup checked
# with xmllint (tests/golden/html-render/render.sh); needs chromium,
# libxml2-utils and python3, which .ci/install-deps installs.
CHROMIUM ?= chromium
.PHONY: htmltest
htmltest: $(BUILD)/billcheck
	@BUILD=$(BUILD) CHROMIUM=$(CHROMIUM) sh tests/golden/html-render/render.sh

clang:
	$(MAKE) CC=clang BUILD=build-clang test

# The same suite built and run under AddressSanitizer + UBSan.
asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' test

# The same suite under ThreadSanitizer: the checks run on the pipeline's
# worker thread while the reader parses (src/pipeline.c).
tsan:
	$(MAKE) BUILD=build-tsan CFLAGS='-O1 -g -fsanitize=thread' \
	    LDFLAGS='-fsanitize=thread' test

# Golden runs under valgrind; any leak or error fails.
leakcheck: $(BUILD)/billcheck
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh golden

# The benchmark of issue 3: data in BENCH_DIR (default /tmp/billcheck-bench),
# results in bench/RESULTS.md; BENCH_SIZES="100" runs the 100 MB set only.
bench: billcheck
	CC='$(CC)' bash bench/run.sh

install: billcheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 billcheck $(DESTDIR)$(PREFIX)/bin/billcheck
	install -m 644 man/billcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/billcheck.1

format:
	clang-format -i src/*.c src/checks/*.c include/*.h tests/unit/*.c

lint:
	clang-tidy src/*.c src/checks/*.c -- -std=c11 -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L

clean:
	rm -rf build build-asan build-clang billcheck

-include $(wildcard $(BUILD)/*.d $(BUILD)/checks/*.d)

# libFuzzer targets (fuzz/*.c, clang only), built with ASan + UBSan into
# build-fuzz/ from the library sources (not main.c).  `make fuzz-run` runs
# each for FUZZ_SECONDS with its seed corpus (see fuzz/run.sh) and fails on
# any crash, leak, timeout or broken invariant; the inputs that did it are
# kept in build-fuzz/artifacts/.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := ledes csv rules decimal_date
FUZZ_CFLAGS  := -std=c11 -Iinclude -D_POSIX_C_SOURCE=200809L $(WARN) -g -O1 \
                -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_OBJ     := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC)) \
                $(FUZZ_BUILD)/obj/default_rules.o
FUZZ_BIN     := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-run fuzz-clean
.SECONDARY: $(FUZZ_OBJ)

fuzz: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    -DBILLCHECK_VERSION='"$(VERSION)"' -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/obj/default_rules.o: $(BUILD)/default_rules.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_OBJ)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz-run: fuzz
	@rc=0; for t in $(FUZZ_TARGETS); do \
	    log=$(FUZZ_BUILD)/fuzz_$$t.log; \
	    if FUZZ_BUILD=$(FUZZ_BUILD) sh fuzz/run.sh $$t $(FUZZ_SECONDS) \
	        > $$log 2>&1; then \
	        echo "ok   fuzz_$$t: $$(grep -h '^Done' $$log)"; \
	    else \
	        rc=1; echo "FAIL fuzz_$$t (log: $$log)"; \
	        grep -v '^#[0-9]' $$log | tail -60 | sed 's/^/    /'; \
	    fi; \
	done; exit $$rc

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

clean: fuzz-clean

-include $(wildcard $(FUZZ_BUILD)/obj/*.d $(FUZZ_BUILD)/obj/checks/*.d)
