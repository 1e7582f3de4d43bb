#!/bin/sh
# vmm_work.sh - the VMM's host work per guest tick (vm/vmm/README.md, "Host
# work per guest tick").  Lines:
#   vmm_work_<guest>_<policy> <shadow entries visited per guest tick> entries/tick
#     deterministic (vmlab --stats: vmm_shadow_entries_visited / guest ticks)
#   vmm_time_<guest>_<policy> <host CPU ns per guest tick> ns/tick
#     CPU time (tests/bench/cputime.c), best of 3
# for aspaces (tests/e2e/vmm/aspaces.s, the worst case known: a new address
# space every few ticks over 500 live shadow tables) and the guest OS boot.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
"$BIN/pg32-as" -o "$dir/aspaces.elf" "$SRC/tests/e2e/vmm/aspaces.s" || exit 1
status=0
for g in aspaces guestos; do
	for pol in flush trace; do
		if [ $g = guestos ]; then
			set -- --disk "$dir/run.img" "$BUILD/guestos/kernel.elf"
		else
			set -- "$dir/aspaces.elf"
		fi
		# The counts are deterministic: one run with --stats, then the timed ones.
		cp "$BUILD/guestos/disk.img" "$dir/run.img"
		"$BIN/vmlab" run --shadow=$pol --stats "$@" </dev/null >/dev/null 2>"$dir/stats" ||
			{ echo "# vmm_work.sh: $g $pol failed" >&2; status=1; continue; }
		b=
		for i in 1 2 3; do
			cp "$BUILD/guestos/disk.img" "$dir/run.img"
			t=$("$BUILD/bench/cputime" "$BIN/vmlab" run --shadow=$pol "$@") ||
				{ echo "# vmm_work.sh: $g $pol failed" >&2; status=1; continue 2; }
			b=$(awk -v t="$t" -v b="$b" 'BEGIN { print (b == "" || t < b) ? t : b }')
		done
		awk -v g=$g -v p=$pol -v t="$b" '
			/^vmm_guest_ticks: / { n = $2 } /^vmm_shadow_entries_visited: / { v = $2 }
			END { printf "vmm_work_%s_%s %.1f entries/tick\n", g, p, v / n
			      printf "vmm_time_%s_%s %.1f ns/tick\n", g, p, t * 1e9 / n }' "$dir/stats"
	done
done
exit $status
