#!/bin/sh
# vmm_cli.sh - vmlab run without --bare: statuses (124, 125, 126), --help,
# --shadow refusals, and --stats under the VMM: the counters are present
# and consistent (guest ticks = instructions run directly + emulated + wfi
# sleep; direct = the machine's retired instructions but the privileged
# ones it served, which the VMM counts as emulated and as PRIVILEGED exits
# though the machine did not trap), and the two shadow
# policies cost what they should on the guest OS (flush drops shadows,
# trace emulates page-table stores and drops far fewer), and the virtual
# devices' counters (vmm_console_out_bytes...) equal the bare machine's.
set -u
fail() { echo "FAIL: $*"; exit 1; }
stat() { sed -n "s/^$1: //p" "$2"; }

"$BIN/vmlab" run --help >help || fail "run --help"
grep -q -- '--shadow=P' help && grep -q -- '--state' help || fail "run --help: $(cat help)"
"$BIN/vmlab" --help | grep -q 'under the VMM' || fail "vmlab --help does not mention the VMM"
"$BIN/vmlab" run --shadow=lazy "$BUILD/examples/hello.elf" </dev/null 2>err; st=$?
[ $st -eq 125 ] && grep -q lazy err || fail "--shadow=lazy: status $st, $(cat err)"
"$BIN/vmlab" run --mem 2048 "$BUILD/examples/hello.elf" </dev/null 2>err; st=$?
[ $st -eq 125 ] && grep -q 'out of range 1..2029 under the VMM' err || fail "--mem 2048 under the VMM: $st $(cat err)"
"$BIN/vmlab" run --mem 2029 "$BUILD/examples/hello.elf" </dev/null >out 2>err || fail "--mem 2029 under the VMM: $(cat err)"
grep -q -- '1..2029 under the VMM' help || fail "run --help does not state the VMM's memory limit"
for o in --trace=CATS '--trace-file FILE' '--dot FILE'; do
	sed -n '/^usage/,/^$/p' help | grep -q -- "$o" || fail "run --help: usage line lacks $o"
done
echo "junk" > bad.elf
"$BIN/vmlab" run bad.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] && grep -q bad.elf err || fail "bad ELF: status $st"

cat > loop.s <<'S'
_start:	mfcr	t0, icount
	j	_start
S
"$BIN/pg32-as" -o loop.elf loop.s || fail "assemble"
"$BIN/vmlab" run --max-insns 1001 loop.elf </dev/null 2>err; st=$?
[ $st -eq 124 ] && grep -q 'budget of 1001' err || fail "budget: status $st $(cat err)"
"$BIN/vmlab" run --max-insns 1001 --state --stats loop.elf </dev/null 2>err
[ "$(stat ticks err | tail -1)" = 1001 ] || fail "budget: --state ticks $(stat ticks err | tail -1), want 1001"
[ "$(stat vmm_emulated_mfcr err)" = 501 ] || fail "mfcr emulated $(stat vmm_emulated_mfcr err)"
[ "$(stat vmm_direct err)" = 500 ] || fail "direct $(stat vmm_direct err)"

cp "$BUILD/guestos/disk.img" f.img
cp "$BUILD/guestos/disk.img" t.img
"$BIN/vmlab" run --stats --shadow=flush --disk f.img "$BUILD/guestos/kernel.elf" </dev/null >/dev/null 2>flush || fail "guest OS, flush"
"$BIN/vmlab" run --stats --shadow=trace --disk t.img "$BUILD/guestos/kernel.elf" </dev/null >/dev/null 2>trace || fail "guest OS, trace"
for f in flush trace; do
	for s in insns vmm_guest_ticks vmm_direct vmm_emulated vmm_wfi_sleep_ticks vmm_direct_ratio \
		 vmm_exits_privileged vmm_exits_syscall vmm_hidden_faults vmm_true_faults \
		 vmm_shadow_fills vmm_shadow_flushes vmm_shadow_pages_allocated \
		 vmm_pt_writes_emulated vmm_reflected vmm_injected vmm_ptb_switches; do
		[ -n "$(stat $s $f)" ] || fail "$f: no '$s:' line"
	done
	g=$(stat vmm_guest_ticks $f) d=$(stat vmm_direct $f) e=$(stat vmm_emulated $f) w=$(stat vmm_wfi_sleep_ticks $f)
	[ $((d + e + w)) -eq "$g" ] || fail "$f: direct $d + emulated $e + sleep $w != ticks $g"
	served=$(($(stat vmm_exits_privileged $f) - $(stat trap_privileged $f)))
	[ "$served" -gt 0 ] || fail "$f: the machine served no control register"
	[ $((d + served)) = "$(stat insns $f)" ] ||
		fail "$f: direct $d + served $served != machine insns $(stat insns $f)"
	[ "$(stat vmm_true_faults $f)" -gt 0 ] && [ "$(stat vmm_hidden_faults $f)" -gt 0 ] ||
		fail "$f: hidden $(stat vmm_hidden_faults $f), true $(stat vmm_true_faults $f)"
	[ "$(stat vmm_hidden_faults $f)" = "$(stat vmm_shadow_fills $f)" ] || fail "$f: fills != hidden faults"
	[ "$(stat vmm_injected $f)" -gt 0 ] && [ "$(stat vmm_reflected $f)" -gt 0 ] || fail "$f: traps"
	awk -v r="$(stat vmm_direct_ratio $f)" 'BEGIN { exit !(r > 0.99 && r < 1) }' ||
		fail "$f: direct ratio $(stat vmm_direct_ratio $f)"
done
[ "$(stat vmm_guest_ticks flush)" = "$(stat vmm_guest_ticks trace)" ] || fail "ticks differ by policy"
# The guest's devices are the VMM's: their counters are the bare machine's.
cp "$BUILD/guestos/disk.img" b.img
"$BIN/vmlab" run --bare --stats --disk b.img "$BUILD/guestos/kernel.elf" </dev/null >/dev/null 2>bare || fail "guest OS, bare"
for s in console_in_bytes console_out_bytes disk_reads disk_writes disk_errors; do
	for f in flush trace; do
		[ "$(stat vmm_$s $f)" = "$(stat $s bare)" ] || fail "$f: vmm_$s '$(stat vmm_$s $f)', bare $s $(stat $s bare)"
	done
done
[ "$(stat vmm_console_out_bytes flush)" -gt 100 ] && [ "$(stat vmm_disk_reads flush)" -gt 0 ] ||
	fail "the guest OS printed or read nothing?"
[ "$(stat vmm_pt_writes_emulated flush)" -eq 0 ] || fail "flush emulated page-table stores"
[ "$(stat vmm_pt_writes_emulated trace)" -gt 0 ] || fail "trace emulated no page-table store"
[ "$(stat vmm_shadow_flushes flush)" -gt 0 ] || fail "flush never dropped a shadow"
[ "$(stat vmm_shadow_flushes trace)" -lt "$(stat vmm_shadow_flushes flush)" ] ||
	fail "trace dropped as many shadows as flush"
[ "$(stat vmm_shadow_fills trace)" -lt "$(stat vmm_shadow_fills flush)" ] ||
	fail "trace filled as often as flush"
exit 0
