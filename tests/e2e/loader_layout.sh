#!/bin/sh
# The loader (vm/hw and the VMM's) and the ELF reader agree with ISA.md
# section 12: segments go to p_paddr, e_entry is the physical reset pc and
# must be a multiple of 4 inside an executable segment's physical range,
# and segments that overlap are refused, each with a clear message.
# The executables are pg32-as output with header fields patched in place.
set -u
fail() { echo "FAIL: $*"; exit 1; }

u32() { od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '; }	# u32 FILE OFFSET
put32() {	# put32 FILE OFFSET VALUE: little-endian, in place
	v=$3 bytes=
	for _ in 1 2 3 4; do
		bytes="$bytes$(printf '\\%03o' $((v & 255)))"
		v=$((v >> 8))
	done
	printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
phdr() { echo $(($(u32 "$1" 28) + 32 * $2)); }	# phdr FILE N: its offset
refused() {	# refused FILE MESSAGE: by both loaders and the reader
	for how in --bare ""; do
		"$BIN/vmlab" run $how "$1" </dev/null >/dev/null 2>err; st=$?
		[ $st -eq 125 ] || fail "$1 ${how:-(vmm)}: status $st, want 125"
		grep -q "$2" err || fail "$1 ${how:-(vmm)}: '$(cat err)', want '$2'"
	done
	"$BIN/pg32-objdump" -h "$1" >/dev/null 2>err && fail "$1: objdump accepted it"
	grep -q "$2" err || fail "$1 objdump: '$(cat err)', want '$2'"
}

# A kernel linked to run at 0x80000000 + x, loaded at physical x: it runs
# from the physical entry with paging off and reads its data physically.
cat > virt.s <<'S'
_start:	lw	a0, 0x2000(zero)	# the .data word, at its physical address
	out	a0, 0x20(zero)
	.data
	.word	42
S
"$BIN/pg32-as" -Ttext 0x80001000 -Tdata 0x80002000 -o virt.elf virt.s || fail "virt.s"
for n in 0 1; do
	off=$(phdr virt.elf $n)
	put32 virt.elf $((off + 12)) $(($(u32 virt.elf $((off + 8))) - 0x80000000))
done
cp virt.elf virt-ventry.elf
put32 virt.elf 24 $((0x1000))
"$BIN/pg32-objdump" -h virt.elf > h.txt || fail "reader refused a physical entry"
grep -q 'vaddr 0x80001000 paddr 0x00001000' h.txt || fail "not patched: $(cat h.txt)"
for how in --bare ""; do
	"$BIN/vmlab" run $how virt.elf </dev/null 2>err; st=$?
	[ $st -eq 42 ] || fail "p_vaddr != p_paddr ${how:-(vmm)}: status $st, $(cat err)"
done
# Its virtual entry is no physical address inside the executable segment.
refused virt-ventry.elf "entry point 0x80001000 is outside every executable segment"

# A misaligned entry (ISA.md 12: it MUST be a multiple of 4).
printf '_start:\tnop\n\tnop\n' > two.s
"$BIN/pg32-as" -o two.elf two.s || fail "two.s"
cp two.elf mis.elf
put32 mis.elf 24 $((0x1002))
refused mis.elf "entry point 0x1002 is not a multiple of 4"

# Two segments sharing physical memory.
printf '_start:\tnop\n\t.data\n\t.word 1\n' > ov.s
"$BIN/pg32-as" -o ov.elf ov.s || fail "ov.s"
put32 ov.elf $(($(phdr ov.elf 1) + 12)) $((0x1000))
refused ov.elf "segments 0 (physical 0x00001000..0x00001004) and 1 (0x00001000..0x00001004) overlap"
echo ok
