# billcheck - invoice exception checker.  See README.md.
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wundef -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wcast-qual \
           -Werror
ALL_CFLAGS := -std=c11 -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L \
              $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
LIBS    := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml) -lcsv
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
BUILD   ?= build
VERSION := 0.1.0

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/checks/*.c)
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/default_rules.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all test check clang asan leakcheck install clean format lint bench

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
# and the golden runs under valgrind.
check: test clang asan leakcheck

clang:
	$(MAKE) CC=clang BUILD=build-clang test

# The same suite built and run under AddressSanitizer + UBSan.
asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' test

# Golden runs under valgrind; any leak or error fails.
leakcheck: $(BUILD)/billcheck
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh golden

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
