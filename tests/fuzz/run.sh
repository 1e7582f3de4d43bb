#!/bin/sh
# tests/fuzz/run.sh - run the libFuzzer harnesses of tests/fuzz/ (built by
# 'make fuzz' into $BUILD/fuzz/) from their seed corpora:
#   fuzz_asm  corpus/asm/*.s
#   fuzz_elf  those sources and examples/*.s, assembled by pg32-as (and
#             compacted by tools/compact_elf.c)
#   fuzz_snap      snapshots of examples, bare and in a VM (vmlab --save-at)
#   fuzz_migrate   migration streams of examples (tools/mig_stream.c)
# Each runs FUZZ_RUNS inputs (default 4000) with a fixed seed, so a run is
# repeatable; FUZZ_TIME=S runs each for S seconds instead (to hunt, not in
# CI).  New inputs go to a scratch corpus, never into the checked-in one.
# A finding stops the run: the input is saved as $BUILD/fuzz/crash-* (or
# leak-*, timeout-*), and the harness's report says what happened; the
# harness run on that one file (build/fuzz/fuzz/fuzz_asm FILE) repeats it.
#
#   run.sh --check CC    exit 0 if CC can build a libFuzzer harness
set -u
if [ "${1:-}" = --check ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-fuzz-check.XXXXXX")
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		> "$dir/t.c"
	"$2" -fsanitize=fuzzer,address,undefined "$dir/t.c" -o "$dir/t" >/dev/null 2>&1; rc=$?
	rm -rf "$dir"
	exit $rc
fi

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build/fuzz}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
RUNS=${FUZZ_RUNS:-4000}
TIME=${FUZZ_TIME:-}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# ELF seeds: every seed source and example that assembles, rewritten
# without padding (tools/compact_elf.c: small files put the fuzzer's
# mutations on the headers), and one as pg32-as writes it.
mkdir -p "$scratch/elf-seeds"
for s in "$SRC"/tests/fuzz/corpus/asm/*.s "$SRC"/examples/*.s; do
	n=$(basename "$s" .s)
	(cd "$(dirname "$s")" && "$BUILD/bin/pg32-as" -o "$scratch/$n.elf" "$n.s") >/dev/null 2>&1 ||
		continue	# a seed of errors
	"$BUILD/fuzz/compact_elf" "$scratch/$n.elf" "$scratch/elf-seeds/$n.elf" ||
		{ echo "fuzz: no ELF seed from $s"; exit 1; }
done
cp "$scratch/hello.elf" "$scratch/elf-seeds/hello-padded.elf"

fuzz() {	# fuzz NAME SEEDS MAXLEN
	mkdir -p "$scratch/$1"
	if [ -n "$TIME" ]; then limit="-max_total_time=$TIME"; else limit="-runs=$RUNS"; fi
	"$BUILD/fuzz/$1" -seed=1 "$limit" -max_len="$3" -timeout=60 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$BUILD/fuzz/" \
		"$scratch/$1" "$2" > "$scratch/$1.log" 2>&1; rc=$?
	if [ $rc -ne 0 ]; then
		tail -n 40 "$scratch/$1.log"
		echo "FAIL fuzz $1 (input saved in $BUILD/fuzz/)"
		return 1
	fi
	echo "PASS fuzz $1: $(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$1.log") inputs," \
	     "$(sed -n 's/^stat::new_units_added: *//p' "$scratch/$1.log") new"
}

# Snapshot seeds: examples saved mid-run, bare and in a VM, in 1 MiB.
# Migration seeds: the streams of examples moved at a few ticks.
mkdir -p "$scratch/snap-seeds" "$scratch/mig-seeds"
for n in hello fib sieve; do
	[ -f "$scratch/$n.elf" ] || continue
	"$BUILD/bin/vmlab" run --bare --mem 1 --save-at 20 "$scratch/snap-seeds/$n-bare.snap" \
		"$scratch/$n.elf" </dev/null >/dev/null 2>&1
	"$BUILD/bin/vmlab" run --mem 1 --save-at 20 "$scratch/snap-seeds/$n-vm.snap" \
		"$scratch/$n.elf" </dev/null >/dev/null 2>&1
	for at in 50 300; do
		"$BUILD/fuzz/mig_stream" "$scratch/$n.elf" $at 2 "$scratch/mig-seeds/$n-$at.mig" \
			>/dev/null 2>&1 || rm -f "$scratch/mig-seeds/$n-$at.mig"
	done
done
ls "$scratch/snap-seeds/"*.snap >/dev/null 2>&1 || { echo "fuzz: no snapshot seeds"; exit 1; }
ls "$scratch/mig-seeds/"*.mig >/dev/null 2>&1 || { echo "fuzz: no migration seeds"; exit 1; }

st=0
fuzz fuzz_asm "$SRC/tests/fuzz/corpus/asm" 4096 || st=1
fuzz fuzz_elf "$scratch/elf-seeds" 16384 || st=1
fuzz fuzz_snap "$scratch/snap-seeds" 65536 || st=1
fuzz fuzz_migrate "$scratch/mig-seeds" 65536 || st=1
exit $st
