#!/bin/sh
# bt.sh - trap-and-emulate against binary translation on plain PG32
# (vm/vmm/README.md "Binary translation against trap-and-emulate"), on the
# programs of vmm.sh under the guest OS: cpu (ALU loop), syscall (200000
# getpid), fault (12000 heap pages, --mem 64), yield (two processes, 100000
# switches).  For each and each way of running it, per operation beyond a
# run of vmm_null.s (boot and power off):
#   bt_<bench>_<mode>_exits    machine exits to the VMM (traps, callouts
#                              included), exact
#   bt_<bench>_<mode>_callouts of them, callouts from translated code
#   bt_<bench>_<mode>_ratio    CPU time over the bare machine's, best of 3
# modes: te-flush, te-trace (trap-and-emulate), bt-flush, bt-trace (--bt),
# inl-flush, inl-trace (--bt=inline).
# And the translation cache after the syscall run: blocks, bytes, hit rate.
set -u
B=$BUILD/bench
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
. "$SRC/tests/bench/vmm_progs.inc"

opts() {	# opts MODE: vmlab's options for it
	case $1 in
	bare) echo --bare ;;
	te-flush) echo --shadow=flush ;;
	te-trace) echo --shadow=trace ;;
	bt-flush) echo --bt --shadow=flush ;;
	bt-trace) echo --bt --shadow=trace ;;
	inl-flush) echo --bt=inline --shadow=flush ;;
	inl-trace) echo --bt=inline --shadow=trace ;;
	esac
}
mem() { [ "$1" = fault ] && echo 64 || echo 16; }
ops() { case $1 in syscall) echo 200000 ;; fault) echo 12000 ;; yield) echo 100000 ;; *) echo 1 ;; esac; }

# best PROGRAM MODE: the least CPU time of 3 runs, in seconds.
best() {
	b=
	for i in 1 2 3; do
		cp "$dir/$1.img" "$dir/run.img"
		t=$("$B/cputime" "$BIN/vmlab" run $(opts "$2") --mem "$(mem "$1")" \
			--disk "$dir/run.img" "$BUILD/guestos/kernel.elf") || return 1
		b=$(awk -v t="$t" -v b="$b" 'BEGIN { print (b == "" || t < b) ? t : b }')
	done
	echo "$b"
}
# counts PROGRAM MODE: "exits callouts" of one run (--stats).
counts() {
	cp "$dir/$1.img" "$dir/run.img"
	"$BIN/vmlab" run $(opts "$2") --stats --mem "$(mem "$1")" --disk "$dir/run.img" \
		"$BUILD/guestos/kernel.elf" </dev/null 2>"$dir/stats" >/dev/null || return 1
	awk -F': ' '/^vmm_exits_/ { e += $2 } $1 == "vmm_bt_callouts" { c = $2 }
		$1 == "vmm_bt_callouts_emulate" { em = $2 }
		END { print e + c - em, c + 0 }' "$dir/stats"
}
status=0
for p in cpu syscall fault yield; do
	nb=$(best null bare) && bare=$(best $p bare) || { status=1; continue; }
	for m in te-flush te-trace bt-flush bt-trace inl-flush inl-trace; do
		set -- $(counts null $m) $(counts $p $m) || { status=1; continue; }
		t=$(best $p $m) && tn=$(best null $m) || { status=1; continue; }
		awk -v n="$(ops $p)" -v e0="$1" -v c0="$2" -v e="$3" -v c="$4" -v name="bt_${p}_$m" \
		    -v t="$t" -v tn="$tn" -v b="$bare" -v bn="$nb" 'BEGIN {
			u = n == 1 ? "per run" : "per op"
			printf "%s_exits %.2f %s\n%s_callouts %.2f %s\n", name, (e - e0) / n, u, name,
				(c - c0) / n, u
			printf "%s_ratio %.2f x\n", name, (t - tn) / (b - bn) }'
	done
done
counts syscall bt-flush >/dev/null && awk -F': ' '
	$1 == "vmm_bt_tc_blocks" { print "bt_tc_blocks " $2 }
	$1 == "vmm_bt_tc_bytes" { print "bt_tc_bytes " $2 " bytes" }
	$1 == "vmm_bt_cache_hits" { h = $2 } $1 == "vmm_bt_cache_misses" { m = $2 }
	$1 == "vmm_bt_translated_insns" { print "bt_translated_insns " $2 }
	END { printf "bt_cache_hit_rate %.4f\n", h / (h + m) }' "$dir/stats"
exit $status
