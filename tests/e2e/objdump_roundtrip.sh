#!/bin/sh
# pg32-objdump -d prints pg32-as input: assembling it again at the same
# -Ttext gives the same bytes at the same addresses, so disassembling the
# second executable prints exactly the same text.  Checked for a program
# with every instruction of isa/pg32.def (generated from the table here,
# independently of the tools), the examples and the guest kernel.
set -u
AS=$BIN/pg32-as
OD=$BIN/pg32-objdump
fail() { echo "FAIL: $*"; exit 1; }

roundtrip() {	# roundtrip NAME ELF
	mkdir -p "r1/$1" "r2/$1"
	cp "$2" "r1/$1/x.elf"
	(cd "r1/$1" && "$OD" -d x.elf > x.s) || fail "$1: objdump"
	# The header names the addresses to assemble at: -Ttext, and -Tdata.
	opts=$(sed -n 's/^# reassemble with: pg32-as //p' "r1/$1/x.s")
	[ -n "$opts" ] || fail "$1: no 'reassemble with' line"
	(cd "r2/$1" && "$AS" $opts -o x.elf ../../r1/$1/x.s) || fail "$1: reassembly"
	(cd "r2/$1" && "$OD" -d x.elf > x.s) || fail "$1: objdump of the copy"
	cmp -s "r1/$1/x.s" "r2/$1/x.s" || { diff "r1/$1/x.s" "r2/$1/x.s" | head; fail "$1 differs"; }
	# The bytes themselves, via the hex dumps of .text and .data, and the
	# entry, segments and section addresses and sizes (.bss included).
	for n in 1 2; do
		"$OD" -s "r$n/$1/x.elf" | awk '/^contents of/ { t = $3 == ".text:" || $3 == ".data:" } t' > h$n
		"$OD" -h "r$n/$1/x.elf" | grep -v -e '^  \.symtab' -e '^  \.strtab' -e '^  \.shstrtab' >> h$n
	done
	grep -q '^contents of .text' h1 && cmp -s h1 h2 || { diff h1 h2 | head; fail "$1: contents differ (or none)"; }
	echo "round trip $1: $(grep -c '# [0-9a-f]*: ' "r1/$1/x.s") words, $(grep -c '# [0-9a-f]*$' "r1/$1/x.s") data lines"
}

# One line per table row, operands made from the operand letters.
awk -F'[(,]' '/^INSN\(/ {
	name = $2; gsub(/ /, "", name)
	match($0, /"[^"]*"/); ops = substr($0, RSTART + 1, RLENGTH - 2)
	line = "\t" name
	n = split(ops, l, ",")
	for (i = 1; i <= n; i++) {
		v = "target"
		if (l[i] == "d") v = "a0"; else if (l[i] == "s") v = "a1"
		else if (l[i] == "t") v = "a2"; else if (l[i] == "c") v = "status"
		else if (l[i] == "i") v = "-5"; else if (l[i] == "u") v = "0x1234"
		else if (l[i] == "h") v = "7"; else if (l[i] == "o") v = "12(sp)"
		line = line (i == 1 ? " " : ", ") v
	}
	print line
	rows++
} END { print "target:\t.word 0xffffffff"; print rows > "rows" }' \
	"$SRC/isa/pg32.def" > all.s
rows=$(cat rows)
[ "$rows" -ge 40 ] || fail "only $rows rows parsed from pg32.def"
printf '\t.byte 1, 2\n' >> all.s
$AS -o all.elf all.s || fail "all.s"
"$OD" -d all.elf > all.dis
words=$(grep -c '# [0-9a-f]*: [0-9a-f]*$' all.dis)
[ "$words" -eq "$rows" ] || fail "$words decoded instructions, want $rows"
grep -q 'illegal' all.dis || fail "the .word is not marked illegal"
grep -q '\.byte 0x02' all.dis || fail "trailing bytes"
roundtrip all all.elf

$AS -Ttext 0x40000000 -o high.elf all.s || fail "high"
roundtrip high high.elf

# Branch and jump targets that wrap around address 0 (pc + offset is modulo
# 2^32): printed as the absolute address the machine reaches.
printf 'beq a0, a1, 0xfffff000\nj -0x1000\n' > low.s
$AS -o low.elf low.s || fail "low.s"
roundtrip low low.elf
printf '.space 0xff0\nbne a0, a1, 0x10\nj 0xffff0000\njal ra, 0x1000\n' > wrap.s
$AS -Ttext 0xfffff000 -o wrap.elf wrap.s || fail "wrap.s"
roundtrip wrap wrap.elf

# Data: strings (with quotes, backslashes and escapes), words at odd
# offsets, labels inside words, runs of zeros, alignment, .bss aligned past
# the end of .data, and a label where .text ends and .data starts.
cat > data.s <<'EOF'
_start:	la a0, msg
	lw a1, 0(a0)
text_end:
	.data
msg:	.asciz "say \"hi\"\n\tto C:\\"
odd:	.byte 1, 2, 3
	.word 0x11223344, -1
mid:	.half 0x0102
in_word = mid + 1
	.space 40
	.byte 0xff
	.align 16
tab:	.word msg, odd, tab, 0
	.byte 7
	.bss
	.align 64
buf:	.space 100
more:	.space 3
end:
EOF
$AS -o data.elf data.s || fail "data.s"
$AS -Tdata 0x100c -o data2.elf data.s || fail "data.s at -Tdata 0x100c"
"$OD" -d data.elf > data.dis
for want in '^msg:' '^tab:' '^buf:' '^end:' '\.asciz "say \\"hi\\"\\n\\tto C:\\\\"' \
	    '\.space ' '\.balign '; do
	grep -q "$want" data.dis || fail "data.s: no '$want' in: $(cat data.dis)"
done
roundtrip data data.elf
roundtrip data2 data2.elf

for e in "$BUILD"/examples/*.elf "$BUILD"/guestos/kernel.elf; do
	[ -f "$e" ] || continue
	roundtrip "$(basename "$e" .elf)" "$e"
done
echo ok
