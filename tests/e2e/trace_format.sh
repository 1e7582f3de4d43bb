#!/bin/sh
# trace_format.sh - --trace and --trace-file of 'vmlab run' and 'vmlab
# monitor': every line has the documented format
#   <tick> <K|U|K>U|U>K> <0x%08x pc> <category> <what> [<text>]
# each category appears only when asked for, the guest OS's trap trace
# (entries and rfe) is the same on the bare machine and under the VMM, and
# bad categories are refused.
set -u
fail() { echo "FAIL: $*"; exit 1; }
K=$BUILD/guestos/kernel.elf
LINE='^[0-9]+ (K|U|K>U|U>K) 0x[0-9a-f]{8} (insn|trap|exit|shadow|irq|dev) [a-z0-9-]+( .*)?$'

boot() {	# mode trace-file categories
	cp "$BUILD/guestos/disk.img" disk.img
	"$BIN/vmlab" run $1 --trace="$3" --trace-file "$2" "$K" --disk disk.img </dev/null >/dev/null \
		|| fail "run $1 --trace=$3: status $?"
}

boot --bare bare.tr trap
boot "" vmm.tr trap
for f in bare.tr vmm.tr; do
	[ -s $f ] || fail "$f is empty"
	bad=$(grep -cvE "$LINE" $f)
	[ "$bad" -eq 0 ] || { grep -vE "$LINE" $f | head -3; fail "$f: $bad malformed lines"; }
	grep -qvE '^[0-9]+ [^ ]+ [^ ]+ trap ' $f && fail "$f: a category other than trap"
	grep -qE '^[0-9]+ U>K 0x40000[0-9a-f]{3} trap syscall epc=0x40000[0-9a-f]{3} badva=0x00000000 tvec=0x000010c8$' $f \
		|| fail "$f: a syscall from user mode"
	grep -qE ' U>K 0x[0-9a-f]{8} trap timer ' $f || fail "$f: a timer interrupt"
done
grep -qE '^[0-9]+ K>U 0x[0-9a-f]{8} trap rfe epc=0x40000' bare.tr || fail "bare: rfe to user"
# Equivalence: the same trap entries and returns (rfe) at the same ticks,
# line for line, under both shadow policies: the diff the labs' hints ask for.
boot "--shadow=trace" vmm-trace.tr trap
grep -q ' K>U 0x[0-9a-f]\{8\} trap rfe epc=0x40000' vmm.tr || fail "VMM: no rfe to user"
diff -u bare.tr vmm.tr || fail "the guest's traps differ between bare and VMM"
diff -u bare.tr vmm-trace.tr || fail "the guest's traps differ between bare and VMM --shadow=trace"
# ... and the same device operations (port I/O and disk DMA), line for line.
boot --bare bare-dev.tr dev
boot "" vmm-dev.tr dev
grep -q ' dev dma read sector=0 count=1 pa=0x' bare-dev.tr || fail "bare: no disk DMA line"
diff -u bare-dev.tr vmm-dev.tr > /dev/null || fail "the guest's device operations differ between bare and VMM"
# ... including the ports that do not exist (cr.s reads and writes some):
# one format for a refused access, bus-error, bare and under the VMM.
"$BIN/pg32-as" -o cr.elf "$SRC/tests/e2e/vmm/cr.s" || fail "assemble cr.s"
"$BIN/vmlab" run --bare --trace=dev --trace-file cr-bare.tr cr.elf </dev/null >/dev/null || fail "cr.s bare"
"$BIN/vmlab" run --trace=dev --trace-file cr-vmm.tr cr.elf </dev/null >/dev/null || fail "cr.s VMM"
grep -q ' dev out port=0x16 (none) bus-error$' cr-vmm.tr || fail "VMM: out to port 0x16 not a bus-error line"
grep -q ' dev in port=0x03 (none) bus-error$' cr-vmm.tr || fail "VMM: in from port 0x03 not a bus-error line"
diff -u cr-bare.tr cr-vmm.tr || fail "cr.s: port accesses traced differently bare and under the VMM"

# Every category of the bare machine, and those only the VMM has.
boot --bare all.tr all
for c in insn trap irq dev; do
	grep -qE "^[0-9]+ [^ ]+ 0x[0-9a-f]{8} $c " all.tr || fail "bare --trace=all: no $c line"
done
grep -qE '^0 K 0x00001000 insn [a-z]+ [0-9a-f]{8} ' all.tr || fail "first insn line"
grep -qE ' dev dma read sector=[0-9]+ count=[0-9]+ pa=0x[0-9a-f]{8} ok$' all.tr || fail "dma line"
grep -qE ' irq raise timer$' all.tr || fail "irq raise line"
grep -qE ' dev out port=0x20 \(power\) value=0x00000000$' all.tr || fail "power-off out line"
boot "" vall.tr exit,shadow
grep -qE '^[0-9]+ K 0x[0-9a-f]{8} exit emulate-mtcr cause=privileged ' vall.tr || fail "VMM exit line"
grep -qE '^[0-9]+ K>U 0x[0-9a-f]{8} exit emulate-rfe ' vall.tr || fail "VMM rfe exit line"
grep -qE ' shadow fill va=0x' vall.tr || fail "VMM shadow line"
grep -qE ' (trap|insn|dev|irq) ' vall.tr && fail "VMM exit,shadow: other categories"

# Default file: stderr; the guest's console stays on stdout.
printf 'hello\n' > /dev/null
"$BIN/vmlab" run --bare --trace=dev "$BUILD/examples/hello.elf" </dev/null >stdout 2>stderr
grep -q 'Hello' stdout || fail "console output on stdout"
grep -qE "^[0-9]+ K 0x[0-9a-f]{8} dev out port=0x00 \(cons-data\) value=0x00000048$" stderr \
	|| fail "trace on stderr"

# Refusals.
"$BIN/vmlab" run --bare --trace=bogus "$K" </dev/null 2>err; [ $? -eq 125 ] || fail "bad category"
grep -q "bogus" err || fail "bad category not named"
"$BIN/vmlab" run --bare --trace=trap --trace-file /nonexistent/x "$K" </dev/null 2>err
[ $? -eq 125 ] || fail "unwritable trace file"

# The monitor: trace on/off while stepping; --trace at start.
"$BIN/vmlab" monitor --bare --trace=insn --trace-file m.tr "$BUILD/examples/hello.elf" >out 2>&1 <<'C'
step 3
trace off insn
step 3
trace on dev
continue
C
[ "$(grep -c ' insn ' m.tr)" -eq 3 ] || fail "monitor: 3 insn lines while on"
grep -q ' dev out ' m.tr || fail "monitor: dev lines after trace on dev"
exit 0
