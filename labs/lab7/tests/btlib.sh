# btlib.sh - lab 7's helpers (sourced after testlib.sh and vmmlib.sh).
# Every test runs the VMM with binary translation on PG32-L, where trap and
# emulate cannot run a kernel that uses rdst and setie (isa/ISA.md 15):
# vmmlib's both runs the guest bare and under --bt, both --isa=leaky.
#
#   reg LABEL N VALUE   the --bt run powered off with 0 and register rN =
#                       VALUE (a run stopped by a stub earns nothing)
#   sym ELF NAME        the address of symbol NAME in ELF, as 0x%08x

VMM_OPTS="--bt --isa=leaky"

reg() {
	finished "$RC_VMM" _reg "$@"
}

_reg() {
	_v=$(sed -n "s/^r$2: //p" "$1.vmm.state")
	[ "$_v" = "$3" ] && return 0
	echo "expected: r$2 = $3 when the guest powers off"
	echo "got:      r$2 = ${_v:-(none)}"
	return 1
}

sym() {
	"$BIN/pg32-objdump" -t "$1" | awk -v s="$2" '$5 == s { print "0x" $1 }'
}
