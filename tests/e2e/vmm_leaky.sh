#!/bin/sh
# vmm_leaky.sh - Popek and Goldberg's theorem failing as it predicts
# (isa/ISA.md section 15).  tests/e2e/vmm/critical.s is a kernel that masks
# interrupts around a critical section (rdst, setie zero, setie) and checks
# its mode in its trap handler (rdst).  On PG32, bare or under the VMM, and
# on the bare PG32-L machine it runs the same (exit 0, identical state).
# Under trap-and-emulate on PG32-L (--isa=leaky) its rdst and setie do not
# trap, so the VMM never sees them: the interrupt lands inside the section
# (1), the handler reads KM = 0 (2), and so does the saved status (4):
# exit 7.  The trace shows the instructions that did not trap.  The guest
# OS, which uses them too, hangs after its banner there.
set -u
fail=0
no() { echo "FAIL $*"; fail=1; }

"$BIN/pg32-as" -o c.elf "$SRC/tests/e2e/vmm/critical.s" || exit 1
addr() { "$BIN/pg32-objdump" -t c.elf | awk -v s="$1" '$5 == s { print "0x" $1 }'; }
enter=$(addr cs_enter) leave=$(addr cs_leave)

run() { # NAME OPTIONS...: status, --state and the insn/exit/trap trace
	name=$1; shift
	"$BIN/vmlab" run "$@" --state --trace=insn,exit,trap --trace-file "$name.trace" \
		--max-insns 100000 c.elf </dev/null >/dev/null 2>"$name.state"
	echo $? >"$name.rc"
}
run bare --bare
run vmm
run lbare --bare --isa=leaky
run lvmm --isa=leaky

for n in bare vmm lbare; do
	[ "$(cat $n.rc)" = 0 ] || no "$n: exit $(cat $n.rc), want 0"
done
cmp -s bare.state lbare.state || no "bare PG32-L state differs from bare PG32's"
cmp -s bare.state vmm.state || no "PG32 under the VMM: state differs from bare"
[ "$(cat lvmm.rc)" = 7 ] ||
	no "PG32-L under the VMM: exit $(cat lvmm.rc), want 7 (interrupt in the section, KM = 0 twice)"

# The timer's epc: after cs_leave's setie on the bare machines, inside the
# critical section (after cs_enter's setie, before cs_leave) under the VMM.
epc() { sed -n 's/.* trap timer epc=\(0x[0-9a-f]*\) .*/\1/p' "$1.trace"; }
[ "$(epc bare)" = "$(printf '0x%08x' $((leave + 4)))" ] || no "bare: timer epc $(epc bare)"
[ "$(epc lbare)" = "$(epc bare)" ] || no "bare PG32-L: timer epc $(epc lbare)"
e=$(epc lvmm)
[ -n "$e" ] && [ $((e)) -gt $((enter)) ] && [ $((e)) -lt $((leave)) ] ||
	no "PG32-L under the VMM: timer epc '$e' not inside the section ($enter..$leave)"

# What follows each rdst and setie: under the PG32 VMM its emulation exit;
# under the PG32-L VMM the next instruction, for nothing trapped.
after() { awk '$4 == "insn" && ($5 == "rdst" || $5 == "setie") { getline n; split(n, f, " ");
		print $5, f[4] == "exit" ? f[5] : "no-trap" }' "$1.trace"; }
after vmm >vmm.after
after lvmm >lvmm.after
[ "$(sort -u vmm.after)" = "$(printf 'rdst emulate-rdst\nsetie emulate-setie')" ] ||
	no "PG32 VMM: rdst/setie not emulated: $(cat vmm.after)"
[ "$(sort -u lvmm.after)" = "$(printf 'rdst no-trap\nsetie no-trap')" ] ||
	no "PG32-L VMM: rdst/setie trapped: $(cat lvmm.after)"
[ "$(wc -l <lvmm.after)" -eq 4 ] || no "PG32-L VMM: $(wc -l <lvmm.after) rdst/setie, want 4"
grep -q 'insn setie 69000000 setie   zero$' lvmm.trace || no "no trace of 'setie zero'"

# The monitor takes --isa too, and sees the same.
printf 'continue\n' | "$BIN/vmlab" monitor --isa=leaky c.elf >mon.vmm 2>&1
printf 'continue\n' | "$BIN/vmlab" monitor --bare --isa=leaky c.elf >mon.bare 2>&1
grep -q 'stop poweroff code=7 ' mon.vmm || no "monitor, PG32-L VMM: $(tail -2 mon.vmm)"
grep -q 'stop poweroff code=0 ' mon.bare || no "monitor, bare PG32-L: $(tail -2 mon.bare)"

# The guest OS opens its interrupt windows with rdst/setie (guestos/disk.s,
# proc.s) and checks its mode with rdst (trap.s).  Bare PG32-L: the same
# run as bare PG32.  PG32-L under the VMM: the window in disk_read never
# opens, the disk interrupt is never taken, and after its banner the kernel
# waits for ever (the budget runs out).
os() { # NAME BUDGET OPTIONS...
	name=$1 budget=$2; shift 2
	cp "$BUILD/guestos/disk.img" "$name.img"
	"$BIN/vmlab" run "$@" --state --max-insns "$budget" --disk "$name.img" \
		"$BUILD/guestos/kernel.elf" </dev/null >"$name.out" 2>"$name.state"
	echo $? >"$name.rc"
}
os osbare 50000000 --bare
os oslbare 50000000 --bare --isa=leaky
os oslvmm 5000000 --isa=leaky
[ "$(cat osbare.rc)" = 0 ] || no "guest OS, bare PG32: exit $(cat osbare.rc)"
for f in rc out state img; do
	cmp -s osbare.$f oslbare.$f || no "guest OS: bare PG32-L differs from bare PG32 in $f"
done
[ "$(cat oslvmm.rc)" = 124 ] || no "guest OS, PG32-L VMM: exit $(cat oslvmm.rc), want 124 (hung)"
head -1 osbare.out >banner
cmp -s banner oslvmm.out || no "guest OS, PG32-L VMM: output is not just the banner: $(head -3 oslvmm.out)"
# Paravirtualized (--pv), the guest OS replaces those windows with
# hypercalls at boot (guestos/pv.s), and runs on PG32-L as on bare PG32.
os ospv 50000000 --pv --isa=leaky
cmp -s osbare.out ospv.out || no "guest OS, --pv on PG32-L: output differs from bare"
[ "$(cat ospv.rc)" = 0 ] || no "guest OS, --pv on PG32-L: exit $(cat ospv.rc)"
# disk_read's window: 'setie t0' runs, nothing traps, round and round.
"$BIN/vmlab" run --isa=leaky --trace=insn,exit --trace-file os.trace --max-insns 150000 \
	--disk osbare.img "$BUILD/guestos/kernel.elf" </dev/null >/dev/null 2>&1
after os >os.after
[ "$(sort -u os.after)" = "$(printf 'rdst no-trap\nsetie no-trap')" ] ||
	no "guest OS, PG32-L VMM: rdst/setie trapped: $(sort -u os.after)"
grep -q ' insn setie 69080000 setie   t0$' os.trace || no "guest OS: no 'setie t0' in the trace"

# The table-driven check of theorem 1, as users see it.
"$BIN/pg32-objdump" --virt=pg32 >virt.pg32 || no "--virt=pg32: not virtualizable"
grep -q '^pg32: all 10 sensitive instructions are privileged' virt.pg32 || no "--virt=pg32 text"
"$BIN/pg32-objdump" --virt=leaky >virt.leaky && no "--virt=leaky: exit 0"
[ "$(awk 'NR > 1 { print $1, $2 }' virt.leaky)" = "$(printf 'rdst behaviour-sensitive\nsetie control-sensitive')" ] ||
	no "--virt=leaky does not name rdst and setie: $(cat virt.leaky)"
"$BIN/pg32-objdump" --virt=x86 2>err && no "--virt=x86 accepted"
grep -q "'x86' is not a variant" err || no "--virt=x86: $(cat err)"
"$BIN/vmlab" run --isa=x86 c.elf 2>err; [ $? = 125 ] || no "--isa=x86: status"
grep -q "'x86' is not a variant (pg32, leaky or virt)" err || no "--isa=x86: $(cat err)"
exit $fail
