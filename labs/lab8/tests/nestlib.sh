# nestlib.sh - lab 8's runs under hardware assist (sources
# testlib.sh and vmmlib.sh).  vmmlib's both runs a guest bare and under
# shadow paging; nested runs it bare and under --mmu=nested, the VMM on the
# PG32-V machine's guest mode and nested paging (isa/ISA.md 16):
#
#   nested LABEL ELF [vmlab options]   run ELF with --stats --state, once
#           with --bare and once with --mmu=nested (with DISK=IMG each run
#           its own copy).  Files LABEL.bare.* and LABEL.vmm.* (out, err,
#           state, rc, img) and RC_BARE, RC_VMM: vmmlib's run_pair, so that
#           vmmlib's same_status, same_output, same_state, same_disk, stat
#           and stat_above read them.  Traps are the machine's in guest
#           mode, not the VMM's: there is no same_traps here.
#   none LABEL NAME WHAT   LABEL's nested run powered off with 0 and its
#                          --stats has no NAME counter (or 0)
#   above LABEL NAME N WHAT  ... and its counter NAME is above N

. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"

nested() {
	_l=$1 _e=$2; shift 2
	run_pair "$_l" "$_e" --mmu=nested "" "$@"
	RC_ERR=$_l.vmm.err
}

none() {
	finished "$(cat "$1.vmm.rc")" _none "$@"
}

above() {
	finished "$(cat "$1.vmm.rc")" stat_above "$@"
}

_none() {
	_v=$(stat "$1" "$2")
	[ "${_v:-0}" = 0 ] && return 0
	echo "expected: no $2 ($3)"
	echo "got:      $2 = $_v"
	return 1
}
