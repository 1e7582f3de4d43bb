# btlib.sh - lab 7's helpers (sources testlib.sh and vmmlib.sh).
# Every test runs the VMM with binary translation on PG32-L, where trap and
# emulate cannot run a kernel that uses rdst and setie (isa/ISA.md 15):
# vmmlib's both runs the guest bare and under --bt, both --isa=leaky.
#
#   sym ELF NAME        the address of symbol NAME in ELF, as 0x%08x

. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"

VMM_OPTS="--bt --isa=leaky"

sym() {
	"$BIN/pg32-objdump" -t "$1" | awk -v s="$2" '$5 == s { print "0x" $1 }'
}
