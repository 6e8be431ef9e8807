# assetmap: build, test, demo, install.  See README.md.
#
#   make              build ./assetmap
#   make deps         install the Debian packages it needs (apt-get as root,
#                     otherwise print the exact command)
#   make demo         build the demo county workspace and its maps in out/
#   make test         build and run every test
#   make SANITIZE=address,undefined test
#   make valgrind     run the unit tests under valgrind
#   make torture      kill -9, disk full, two writers, bad inputs under
#                     ASan/UBSan, PHI in outputs (~10 min; TORTURE_SEED=N);
#                     make torture-short is the ~1 minute form make test runs
#   make lint         check every C file against .clang-format (clang-format 14)
#   make format       rewrite every C file as .clang-format says
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
SANITIZE ?=

# Debian packages: building, running, and what the tests read back with.
DEB_BUILD = gcc make pkg-config libgdal-dev libproj-dev libgeos-dev \
	libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite \
	libcairo2-dev libpango1.0-dev libjson-c-dev zlib1g-dev libssl-dev \
	fonts-dejavu-core libjs-leaflet
DEB_TEST = gdal-bin poppler-utils sqlite3 python3 clang-format-14 chromium
DEB_ALL = $(DEB_BUILD) $(DEB_TEST)

PKGS = gdal proj geos sqlite3 spatialite cairo pangocairo json-c zlib libcrypto

# BUILD may be set on the command line to keep separate build trees.
ifneq ($(SANITIZE),)
BUILD ?= build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT := -O1 -g
else
BUILD ?= build/rel
SANFLAGS :=
OPT := -O2 -g
endif

# pkg-config is only asked once the packages are there (see deps-check).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null | sed 's/-I/-isystem /g')
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN = -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
	-Wshadow -Wformat=2 -Wvla -Wwrite-strings -fno-common -Werror
CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=c11 -pthread -D_GNU_SOURCE -DGEOS_USE_ONLY_R_API \
	-DASSETMAP_SRCDATA='"$(CURDIR)/data"' \
	-DTEST_SRCDIR='"$(CURDIR)"' -DASSETMAP_DATADIR='"$(PREFIX)/share/assetmap"' \
	-I. $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread

LIB_SRC := $(sort $(wildcard core/*.c geo/*.c importers/*.c render/*.c cli/cmd_*.c cli/cli_*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/cli/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_COMMON := $(BUILD)/tests/unit/testlib.o
GEN_BIN := $(BUILD)/gen_demo
# Every fuzz target, built with the plain driver (tests/fuzz/driver.c) and
# run for a few seconds by `make test`; clang's libFuzzer runs them longer.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
# Linked into every fuzz target: the driver and the fuzz_import_* helpers.
FUZZ_COMMON := $(BUILD)/tests/fuzz/driver.o $(BUILD)/tests/fuzz/import_common.o

.PHONY: all deps deps-check demo test unit valgrind install clean bench demo-data check-demo-data lint format \
	torture torture-short
.DEFAULT_GOAL := all
.SECONDARY:

all: deps-check $(BUILD)/assetmap
ifeq ($(BUILD),build/rel)
	@ln -sf $(BUILD)/assetmap assetmap
endif

# Install the packages when any is missing; a no-op otherwise.
deps-check:
	@missing=$$(for p in $(DEB_ALL); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || printf '%s ' $$p; done); \
	if [ -n "$$missing" ]; then $(MAKE) --no-print-directory deps; fi

deps:
	@missing=$$(for p in $(DEB_ALL); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || printf '%s ' $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all packages are installed"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "deps: missing packages; run this, then make again:"; \
		echo "  sudo apt-get install -y $$missing"; exit 1; \
	fi

# Nothing compiles before the packages (and their pkg-config files) are in.
$(LIB_OBJ) $(MAIN_OBJ) $(UNIT_SRC:%.c=$(BUILD)/%.o) $(UNIT_COMMON) $(BUILD)/data/gen_demo.o \
	$(FUZZ_SRC:%.c=$(BUILD)/%.o) $(FUZZ_COMMON): | deps-check

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libassetmap.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/assetmap: $(MAIN_OBJ) $(BUILD)/libassetmap.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_COMMON) $(BUILD)/libassetmap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(FUZZ_COMMON) $(BUILD)/libassetmap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(GEN_BIN): $(BUILD)/data/gen_demo.o $(BUILD)/libassetmap.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# ---- tests --------------------------------------------------------------
test: all $(UNIT_BIN) $(GEN_BIN) $(FUZZ_BIN)
	@ASSETMAP=$(CURDIR)/$(BUILD)/assetmap GEN_DEMO=$(CURDIR)/$(GEN_BIN) \
	 BUILD=$(CURDIR)/$(BUILD) FUZZ_BIN="$(addprefix $(CURDIR)/,$(FUZZ_BIN))" sh tests/run.sh $(UNIT_BIN)

valgrind: all $(UNIT_BIN) $(GEN_BIN)
	@ASSETMAP=$(CURDIR)/$(BUILD)/assetmap GEN_DEMO=$(CURDIR)/$(GEN_BIN) \
	 BUILD=$(CURDIR)/$(BUILD) \
	 VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp" \
	 sh tests/run.sh $(UNIT_BIN)

# ---- demo county --------------------------------------------------------
# data/demo/ is generated by the project's own code and committed; the
# test suite checks that regenerating it gives the same bytes.
demo-data: deps-check $(GEN_BIN)
	$(GEN_BIN) data/demo

demo: all
	@sh data/demo.sh $(CURDIR)/$(BUILD)/assetmap out

bench: all
	@ASSETMAP=$(CURDIR)/$(BUILD)/assetmap sh bench/run.sh

# ---- torture (tests/torture/) --------------------------------------------
# The full form is not part of 'make test', which runs the short form
# (tests/run.sh); see tests/torture/torture.py for the probes.
# By hand (about a minute per suppression call): sh tests/torture/mutate_suppression.sh
torture: all build/rel/tests/test_privacy_sweep
	@$(MAKE) --no-print-directory SANITIZE=address,undefined build/san/assetmap
	@AM=$(CURDIR)/build/rel/assetmap AM_SAN=$(CURDIR)/build/san/assetmap \
	 /usr/bin/python3 -B tests/torture/torture.py

torture-short: all
	@AM=$(CURDIR)/build/rel/assetmap AM_SAN=$(CURDIR)/build/san/assetmap \
	 /usr/bin/python3 -B tests/torture/torture.py --short

# ---- formatting (.clang-format, clang-format 14) -------------------------
CLANG_FORMAT ?= clang-format-14
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find core geo importers render cli data tests -name '*.[ch]')

lint:
	@bad=$$(for f in $(FORMAT_SRC); do \
		$(CLANG_FORMAT) --dry-run "$$f" 2>&1 | grep -q . && echo "$$f"; \
	done; true); \
	if [ -n "$$bad" ]; then \
		echo "lint: these files differ from .clang-format (run 'make format'):"; \
		echo "$$bad" | sed 's/^/  /'; exit 1; \
	fi; echo "lint: $(words $(FORMAT_SRC)) C files formatted as .clang-format says"

format:
	@$(CLANG_FORMAT) -i $(FORMAT_SRC)

# ---- install ------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/assetmap
	install -m 755 $(BUILD)/assetmap $(DESTDIR)$(PREFIX)/bin/assetmap
	cp -R data/taxonomy $(DESTDIR)$(PREFIX)/share/assetmap/
	cp data/indicators.csv $(DESTDIR)$(PREFIX)/share/assetmap/
	find $(DESTDIR)$(PREFIX)/share/assetmap -type f -exec chmod 644 {} +

clean:
	rm -rf build assetmap out

-include $(shell find build -name '*.d' 2>/dev/null)
