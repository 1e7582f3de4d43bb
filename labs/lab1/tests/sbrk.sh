# sbrk - the heap: its start, growth by whole zeroed writable pages, sbrk(0),
# -EINVAL and -ENOMEM changing nothing, no page mapped past the end;
# memtest's 64 pages; every page freed at exit.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=20000000
disk heap
boot heap
h() { check "$1" "$2" has_line heap.out "heap: $2"; }
h 1 "sbrk(0) is the page after the bss: 1"
h 1 "sbrk(1) = start + 0"
h 1 "sbrk(2) = start + 4096"
h 1 "sbrk(0) = start + 12288"
h 1 "nonzero words in the new pages: 0"
h 1 "words not kept: 0"
h 1 "sbrk(-1) = -5"
h 1 "sbrk(0x100000) = -4"
h 1 "sbrk(0x3ff00) = -4"
h 1 "after the refusals sbrk(0) = start + 12288"
end=$(sym heap.elf bss_end)
start=$(( (end + 4095) / 4096 * 4096 ))
past=$(printf '0x%08x' $((start + 12288)))
check 2 "nothing is mapped past the end of the heap" has_line heap.out "[kernel] pid 1 (heap) killed: pf-load at $past"
check 1 "every page is free again" free_pages_kept heap.out
disk memtest
boot memtest
check 2 "memtest: 64 heap pages, filled and checked" has_line memtest.out "memtest: 256 KiB of heap checked"
check 1 "memtest: every page is free again" free_pages_kept memtest.out
finish
