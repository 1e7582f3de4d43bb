# vmlab - top-level build.
#
#   make                 build the tools (build/bin/) and the guest OS
#   make run             boot the guest OS under the VMM (VMLAB_FLAGS=--bare: bare)
#   make test            build and run every test: unit, end to end, the labs'
#                        graders (reference, handouts, mutants)
#   make test SANITIZE=1 unit and end-to-end tests under ASan+UBSan
#                        (in build/san/)
#   make fuzz            build the libFuzzer harnesses (tests/fuzz/, needs
#                        clang) and run each briefly from its seed corpus;
#                        FUZZ_TIME=S runs each for S seconds instead
#   make bench           build and run the benchmarks
#   make examples        assemble examples/*.s into build/examples/
#   make clean
#
# Layers, each a folder, each including headers only from the ones before:
#   isa/ <- assembler/      isa/ <- vm/hw/ <- vm/vmm/ <- monitor/
#
# Options: SANITIZE=1, LINEEDIT=auto|readline|libedit|none (the monitor's
# line editor, found by pkg-config), CC, CFLAGS; for make fuzz: FUZZ_CC
# (default clang), FUZZ_TIME, FUZZ_RUNS (default 4000), FUZZ_REQUIRED=1
# (fail instead of skipping without libFuzzer).

CC       ?= cc
FUZZ_CC  ?= clang
OPT      ?= -O2
LINEEDIT ?= auto

# The build folder is this tree's own unless the command line names one
# (make BUILD=dir).  A BUILD in the environment belongs to whoever exported
# it: tests/e2e.sh and tests/bench/run.sh export theirs, absolute, for their
# scripts, and a make run by those scripts in another tree (a lab's
# autograder copy) wrote that tree's objects into ours, newer than our
# sources and with .d files naming other targets, so that later changes to
# our headers rebuilt nothing that included them.
ifeq ($(origin BUILD),environment)
undefine BUILD
endif

ifeq ($(SANITIZE),1)
BUILD    ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT      := -O1 -g
else ifeq ($(SANITIZE),fuzz)
# The libFuzzer harnesses of tests/fuzz/ and the libraries under them
# (clang only; 'make fuzz' sets this).
BUILD    ?= build/fuzz
CC       := $(FUZZ_CC)
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
OPT      := -O1 -g
else
BUILD    ?= build
SANFLAGS :=
endif
# A folder of this tree named by its absolute path (tests/e2e/pictures_make.sh
# passes e2e's) is named relative, as the plain make names it: the .d files
# write their targets as make was told them, and a target named the other
# way matches no rule, so a header's change would rebuild nothing.
override BUILD := $(patsubst $(CURDIR)/%,%,$(BUILD))

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Iisa -Ivm/hw -Ivm/vmm -Iassembler -Imonitor -D_DEFAULT_SOURCE
CFLAGS   ?=
ALLCFLAGS = -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)

# --- line editing for the monitor shell (readline, libedit or none) -------
ifeq ($(LINEEDIT),auto)
  ifeq ($(shell pkg-config --exists readline 2>/dev/null && echo y),y)
    LINEEDIT := readline
  else ifeq ($(shell pkg-config --exists libedit 2>/dev/null && echo y),y)
    LINEEDIT := libedit
  else
    LINEEDIT := none
  endif
endif
ifeq ($(LINEEDIT),readline)
  EDIT_CFLAGS := -DUSE_READLINE $(shell pkg-config --cflags readline)
  EDIT_LIBS   := $(shell pkg-config --libs readline)
else ifeq ($(LINEEDIT),libedit)
  EDIT_CFLAGS := -DUSE_LIBEDIT $(shell pkg-config --cflags libedit)
  EDIT_LIBS   := $(shell pkg-config --libs libedit)
endif

# --- zlib: snapshot files are deflate streams with CRC-32s (vm/hw/snap.c) --
ZLIB_CFLAGS := $(shell pkg-config --cflags zlib 2>/dev/null)
ZLIB_LIBS   := $(shell pkg-config --libs zlib 2>/dev/null || echo -lz)

# --- sources ---------------------------------------------------------------
ISA_SRCS  := $(wildcard isa/*.c)
ASM_MAINS := assembler/pg32-as.c assembler/pg32-objdump.c
ASM_SRCS  := $(filter-out $(ASM_MAINS),$(wildcard assembler/*.c))
HW_SRCS   := $(wildcard vm/hw/*.c)
VMM_SRCS  := $(wildcard vm/vmm/*.c)
MON_SRCS  := $(wildcard monitor/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIBISA := $(BUILD)/lib/libisa.a
LIBASM := $(BUILD)/lib/libasm.a
LIBHW  := $(BUILD)/lib/libhw.a
LIBVMM := $(BUILD)/lib/libvmm.a

BINS := $(patsubst assembler/%.c,$(BUILD)/bin/%,$(wildcard $(ASM_MAINS)))
ifneq ($(MON_SRCS),)
BINS += $(BUILD)/bin/vmlab
endif

.PHONY: all test unit e2e bench examples clean
all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c $< -o $@

$(BUILD)/obj/vm/hw/snap.o: vm/hw/snap.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ZLIB_CFLAGS) $(ALLCFLAGS) -c $< -o $@

# clang at -O1 with ASan spends over ten minutes on the interpreter's
# dispatch function (cpu_loop.h: hundreds of labels reached by computed
# gotos); at -O0 it takes seconds, and the harnesses run a few thousand
# inputs, so the interpreter's speed does not matter there.
ifeq ($(SANITIZE),fuzz)
$(BUILD)/obj/vm/hw/cpu.o: OPT := -O0 -g
endif

$(BUILD)/obj/monitor/%.o: monitor/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(EDIT_CFLAGS) $(ALLCFLAGS) -c $< -o $@

$(BUILD)/lib/lib%.a:
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBISA): $(call obj,$(ISA_SRCS))
$(LIBASM): $(call obj,$(ASM_SRCS))
$(LIBHW):  $(call obj,$(HW_SRCS))
$(LIBVMM): $(call obj,$(VMM_SRCS))

$(BUILD)/bin/pg32-as: $(call obj,assembler/pg32-as.c) $(LIBASM) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@

$(BUILD)/bin/pg32-objdump: $(call obj,assembler/pg32-objdump.c) $(LIBASM) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@

$(BUILD)/bin/vmlab: $(call obj,$(MON_SRCS)) $(if $(VMM_SRCS),$(LIBVMM)) $(LIBHW) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(EDIT_LIBS) $(ZLIB_LIBS) -o $@

# --- PG32 programs ---------------------------------------------------------
EXAMPLES := $(patsubst examples/%.s,$(BUILD)/examples/%.elf,$(wildcard examples/*.s))
examples: $(EXAMPLES)
$(BUILD)/examples/%.elf: examples/%.s $(wildcard examples/*.inc) $(BUILD)/bin/pg32-as
	@mkdir -p $(@D)
	$(BUILD)/bin/pg32-as -o $@ $<

# --- the main job: boot the guest OS under the VMM ---------------------------
# VMLAB_FLAGS adds vmlab run options: --bare, --stats, --shadow=trace,
# --trace=trap ...  The guest gets a copy of the disk image, so the built one
# stays as mkdisk wrote it.
.PHONY: run
run: all
	cp $(BUILD)/guestos/disk.img $(BUILD)/guestos/run-disk.img
	$(BUILD)/bin/vmlab run $(VMLAB_FLAGS) --disk $(BUILD)/guestos/run-disk.img $(BUILD)/guestos/kernel.elf

# --- tests -----------------------------------------------------------------
# Unit tests: one Criterion binary from tests/unit/*.c, linked against every
# library so a test may reach any layer.
UNIT_BIN := $(BUILD)/tests/unit-tests
$(UNIT_BIN): $(call obj,$(UNIT_SRCS)) $(if $(VMM_SRCS),$(LIBVMM)) $(LIBHW) $(LIBASM) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -lcriterion $(ZLIB_LIBS) -o $@

unit: $(UNIT_BIN)
	$(UNIT_BIN) --jobs 2

# End-to-end tests: tests/e2e/*.sh, run by tests/e2e.sh with the tools'
# paths in the environment, E2E_JOBS at a time (default: the cores).
e2e: $(BINS) $(EXAMPLES)
	BUILD=$(BUILD) sh tests/e2e.sh

# Everything: unit, end to end, and the labs' graders (labs/labs.mk).  With
# SANITIZE=1, unit and end to end only: the lab checks build whole trees of
# their own and add nothing under the sanitizers.  In a student tree
# (labs/.handout) there is no lab check to run: it needs the reference.
test: unit e2e $(if $(filter 1,$(SANITIZE))$(wildcard labs/.handout),,labs-check)

# --- fuzzing ---------------------------------------------------------------
# tests/fuzz/*.c are libFuzzer harnesses, built with SANITIZE=fuzz (clang,
# ASan, UBSan) into $(BUILD)/fuzz/; tests/fuzz/run.sh runs them.  Without a
# clang that has libFuzzer, 'make fuzz' says so and succeeds, unless
# FUZZ_REQUIRED=1 (as CI sets).
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/*.c))
$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(if $(VMM_SRCS),$(LIBVMM)) $(LIBHW) $(LIBASM) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer $^ $(ZLIB_LIBS) -o $@

$(BUILD)/fuzz/compact_elf: $(BUILD)/obj/tests/fuzz/tools/compact_elf.o $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@

# fuzz_migrate's seeds: recorded migration streams.
$(BUILD)/fuzz/mig_stream: $(BUILD)/obj/tests/fuzz/tools/mig_stream.o $(if $(VMM_SRCS),$(LIBVMM)) $(LIBHW) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(ZLIB_LIBS) -o $@

.PRECIOUS: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/tools/%.o
.PHONY: fuzz fuzz-run
fuzz:
	@if sh tests/fuzz/run.sh --check "$(FUZZ_CC)"; then \
		$(MAKE) --no-print-directory SANITIZE=fuzz fuzz-run; \
	elif [ "$(FUZZ_REQUIRED)" = 1 ]; then \
		echo "fuzz: $(FUZZ_CC) with libFuzzer is required (FUZZ_REQUIRED=1)"; exit 1; \
	else \
		echo "fuzz: skipped, no $(FUZZ_CC) with libFuzzer (Debian: apt-get install clang)"; \
	fi
fuzz-run: $(FUZZ_BINS) $(BUILD)/fuzz/compact_elf $(BUILD)/fuzz/mig_stream $(BUILD)/bin/pg32-as \
	  $(BUILD)/bin/vmlab
	BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TIME) FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh

# --- benchmarks ------------------------------------------------------------
# tests/bench/*.c are host programs (each its own binary, linked against the
# libraries), tests/bench/*.s PG32 programs; tests/bench/run.sh runs every
# tests/bench/*.sh, each printing "name value unit" lines.
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))
BENCH_ELFS := $(patsubst tests/bench/%.s,$(BUILD)/bench/%.elf,$(wildcard tests/bench/*.s))
$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(if $(VMM_SRCS),$(LIBVMM)) $(LIBHW) $(LIBASM) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(ZLIB_LIBS) -o $@
$(BUILD)/bench/%.elf: tests/bench/%.s $(BUILD)/bin/pg32-as
	@mkdir -p $(@D)
	$(BUILD)/bin/pg32-as -o $@ $<

bench: $(BINS) $(BENCH_BINS) $(BENCH_ELFS) $(EXAMPLES)
	BUILD=$(BUILD) CC="$(CC)" sh tests/bench/run.sh

clean:
	rm -rf build

# Components with build rules of their own (the guest OS, the labs).
-include guestos/guestos.mk
-include monitor/monitor.mk
-include labs/labs.mk

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
