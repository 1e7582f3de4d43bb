# write - write(fd, buf, len): the console for fd 1 and 2; the bytes of a
# buffer on two pages, on the stack, at the end of the data; -EBADF,
# -EINVAL, and -EFAULT for every buffer not wholly in mapped user memory,
# after which the process lives on.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=10000000
disk wtest
boot write
w() { check "$1" "$2" has_line write.out "wtest: $2"; }
check 1 "the bytes of write(1, \"hello\\n\", 6)" has_line write.out "hello"
w 1 'write(1, "hello\n", 6) = 6'
w 1 'write(2, "err\n", 4) = 4'
w 1 'write(1, buf, 0) = 0'
check 1 "the bytes of a buffer across a page boundary" has_line write.out "page-cross!"
w 1 'write across a page boundary = 12'
w 1 'write from the stack = 4'
w 1 'write of the last 4 mapped bytes = 4'
w 2 'write of 8 bytes, 4 of them unmapped = -2'
w 1 'write(7, ...) = -3'
w 1 'write(0, ...) = -3'
w 1 'write(1, buf, -1) = -5'
w 2 'write(1, 0x00001000, 4) = -2'
w 2 'write(1, 0x50000000, 4) = -2'
w 1 'write(1, 0x7ffffff0, 32) = -2'
w 1 'write(1, 0xfffffff0, 32) = -2'
check 1 "lives on and exits 0" has_line write.out "[kernel] pid 1 (wtest) exited with status 0"
check 1 "no kernel panic" finished $RC lacks_match write.out 'panic'
finish
