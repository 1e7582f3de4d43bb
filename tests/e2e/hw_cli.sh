#!/bin/sh
# hw_cli.sh - vmlab run --bare: exit statuses, --stats, --help, refusals.
set -u
fail() { echo "FAIL: $*"; exit 1; }
as() { "$BIN/pg32-as" -o "$1" "$2" || fail "cannot assemble $2"; }

# Power-off code is the exit status (value & 0xff).
cat > off.s <<'S'
_start:	li	a0, 0x12a
	out	a0, 0x20(zero)
S
as off.elf off.s
"$BIN/vmlab" run --bare off.elf </dev/null; st=$?
[ $st -eq 42 ] || fail "power-off 0x12a: status $st, want 42"

# Budget exhausted: 124, with a message.
cat > loop.s <<'S'
_start:	j	_start
S
as loop.elf loop.s
"$BIN/vmlab" run --bare --max-insns 1000 loop.elf </dev/null 2>err; st=$?
[ $st -eq 124 ] || fail "--max-insns: status $st, want 124"
grep -q budget err || fail "no budget message: $(cat err)"

# Double fault: 126, one line naming the pc and the cause.
cat > df.s <<'S'
_start:	li	t0, 0x7000000
	mtcr	tvec, t0
	syscall
S
as df.elf df.s
"$BIN/vmlab" run --bare df.elf </dev/null 2>err; st=$?
[ $st -eq 126 ] || fail "double fault: status $st, want 126"
grep -q 'double fault.*0x07000000.*bus' err || fail "double-fault message: $(cat err)"
[ "$(wc -l < err)" -eq 1 ] || fail "double fault: more than one line: $(cat err)"

# Deadlock: 126.
cat > dl.s <<'S'
_start:	wfi
S
as dl.elf dl.s
"$BIN/vmlab" run --bare dl.elf </dev/null 2>err; st=$?
[ $st -eq 126 ] || fail "deadlock: status $st, want 126"
grep -q 'deadlock.*0x00001000' err || fail "deadlock message: $(cat err)"

# Bad ELF and bad options: 125 with the file named.
echo "not an elf" > bad.elf
"$BIN/vmlab" run --bare bad.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "bad ELF: status $st, want 125"
grep -q 'bad.elf' err || fail "bad ELF message does not name the file: $(cat err)"
"$BIN/vmlab" run --bare missing.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "missing ELF: status $st"
"$BIN/vmlab" run --bare --mem 0 off.elf </dev/null 2>/dev/null; st=$?
[ $st -eq 125 ] || fail "--mem 0: status $st"
"$BIN/vmlab" run --bare --frobnicate off.elf </dev/null 2>/dev/null; st=$?
[ $st -eq 125 ] || fail "unknown option: status $st"
"$BIN/vmlab" run --bare --shadow=sideways off.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "--shadow=sideways: status $st"
grep -q "sideways" err || fail "bad --shadow message: $(cat err)"
"$BIN/vmlab" run --bare --shadow=trace off.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "--shadow with --bare: status $st"
grep -q "bare machine has no shadow" err || fail "--shadow with --bare message: $(cat err)"
# A segment outside a small RAM.
"$BIN/pg32-as" -Ttext 0x180000 -o high.elf off.s || fail "assemble high"
"$BIN/vmlab" run --bare --mem 1 high.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "segment outside RAM: status $st"
grep -q 'outside RAM' err || fail "outside RAM message: $(cat err)"
"$BIN/vmlab" run --bare --mem 2 high.elf </dev/null; st=$?
[ $st -eq 42 ] || fail "fits in 2 MiB: status $st"

# --stats: name: value lines on stderr.
"$BIN/vmlab" run --bare --stats off.elf </dev/null 2>err >out; st=$?
[ $st -eq 42 ] || fail "--stats: status $st"
grep -q '^insns: 2$' err || fail "--stats insns: $(cat err)"
for k in tlb_hits tlb_misses page_walks console_out_bytes disk_reads disk_writes disk_errors; do
	grep -q "^$k: [0-9]*$" err || fail "--stats has no $k"
done
[ ! -s out ] || fail "--stats wrote to stdout"
! grep -q '^tlb_hit_rate:' err || fail "--stats: a TLB hit rate without paging"
# With paging on: the hit rate, hits / (hits + misses).
"$BIN/pg32-as" -o paging.elf "$SRC/tests/e2e/vmm/paging.s" || fail "paging.s"
"$BIN/vmlab" run --bare --stats paging.elf </dev/null >/dev/null 2>err
awk '/^tlb_hits: / { h = $2 } /^tlb_misses: / { m = $2 } /^tlb_hit_rate: / { r = $2; n++ }
     END { exit !(n == 1 && m > 0 && r == sprintf("%.4f", h / (h + m))) }' err ||
	fail "--stats tlb_hit_rate: $(grep '^tlb_' err)"

# --help documents the options and the statuses.
"$BIN/vmlab" --help > help || fail "vmlab --help status"
"$BIN/vmlab" run --help > rhelp || fail "vmlab run --help status"
for w in 124 125 126 --bare; do grep -q -- "$w" help || fail "vmlab --help lacks $w"; done
for w in 124 125 126 --mem --disk --max-insns --stats; do
	grep -q -- "$w" rhelp || fail "vmlab run --help lacks $w"
done
exit 0
