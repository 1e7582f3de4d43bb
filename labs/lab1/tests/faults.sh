# faults - a process that breaks a rule is killed with one line naming its
# pid, name, the cause and the address (badva for memory faults, the pc
# for instructions it may not run); the others go on.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=20000000
disk wrtext badload priv brk illegal misal hello
boot faults
pc_of() { "$BIN/pg32-objdump" -d "$1" | awk -v op="$2" '$1 == op { sub(/:$/, "", $(NF - 1)); print "0x" $(NF - 1); exit }'; }
check 2 "store to read-only text" has_line faults.out "[kernel] pid 1 (wrtext) killed: pf-store-prot at 0x40000000"
check 2 "load from an unmapped page" has_line faults.out "[kernel] pid 2 (badload) killed: pf-load at 0x60000000"
check 2 "privileged instruction, at its pc" has_line faults.out "[kernel] pid 3 (priv) killed: privileged at $(pc_of priv.elf out)"
check 1 "break, at its pc" has_line faults.out "[kernel] pid 4 (brk) killed: break at $(sym brk.elf bad)"
check 1 "illegal instruction, at its pc" has_line faults.out "[kernel] pid 5 (illegal) killed: illegal at $(sym illegal.elf bad)"
check 1 "misaligned load, at badva" has_line faults.out "[kernel] pid 6 (misal) killed: misaligned at $(printf '0x%08x' $(($(sym misal.elf word) + 1)))"
check 1 "the others go on" has_line faults.out "[kernel] pid 7 (hello) exited with status 0"
check 1 "every page is free again" free_pages_kept faults.out
finish
