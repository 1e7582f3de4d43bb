# coherence - the shadows follow the guest's page-table changes at the
# points the ISA's TLB rule gives (ISA.md 9.7), flush policy: a page read,
# remapped and read again after tlbinv; two remapped, one tlbflush; one
# remapped, then ptb written with its own value; one unmapped then tlbinv
# (a fault).  progs/remap.s prints a letter per read
# (A, B, C: the frame it reached; '!' a fault).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=1000000
assemble remap.elf "$LAB/tests/progs/remap.s"
both remap remap.elf
check 2 "the program runs to its end" same_status remap
check 3 "each read reaches the frame mapped at that time: ABCCAB!!" has_line remap.vmm.out "ABCCAB!!"
check 3 "the same reads as on the bare machine" same_output remap
check 2 "the same end state" same_state remap
finish
