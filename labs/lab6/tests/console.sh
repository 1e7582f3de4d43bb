# console - the hypercall errors and HC_CONSOLE_WRITE (task 1): an unknown
# number, a buffer past RAM (nothing written), HC_BLOCK of no line, a
# shared page not page-aligned, and "hi" written (progs/console.s); with
# paging on, a buffer that ends in its page written, one that runs into an
# unmapped page -EFAULT with nothing written (progs/conspage.s).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=100000
assemble console.elf "$LAB/tests/progs/console.s"
pv console console.elf
printf hi > hi.expected
check 2 "HC_CONSOLE_WRITE: \"hi\" on the console, and nothing else" same_file hi.expected console.vmm.out
check 3 "HC_CONSOLE_WRITE returns the length" reg console 11 0x00000002
check 3 "a buffer past RAM: -EFAULT" reg console 13 0xfffffffe
check 1 "an unknown hypercall: -ENOSYS" reg console 12 0xffffffff
check 1 "HC_BLOCK of no line: -EINVAL" reg console 14 0xfffffffd
assemble conspage.elf "$LAB/tests/progs/conspage.s"
pv conspage conspage.elf
printf ab > ab.expected
check 1 "paging on: the two bytes at the end of a read-only page written" reg conspage 12 0x00000002
check 3 "paging on: a buffer that runs into an unmapped page: -EFAULT" reg conspage 13 0xfffffffe
check 2 "paging on: the buffer into an unmapped page writes nothing (\"ab\" from the call before, and nothing else)" \
	same_file ab.expected conspage.vmm.out
finish
