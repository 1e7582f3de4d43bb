#!/bin/sh
# labs_rerun.sh - a lab test's rerun.sh (labs/README.md, "make grade"):
# the exact commands the test ran.  Lab 1's tests build their disks with
# guest.sh's disk, a second disk over the first: rerun.sh, run in an
# empty folder, makes the same disk and the same run.
status=0
fail() { echo "FAIL: $*"; status=1; }

mkdir a b
(cd a && SRC=$SRC BUILD=$BUILD BIN=$BIN LAB=$SRC/labs/lab1 OUT=$PWD/out TEST=t sh -c '
	. "$SRC/labs/tools/testlib.sh"
	. "$LAB/tests/guest.sh"
	BUDGET=2000000
	disk one=hello
	boot first
	disk a=hello b=counter
	boot second') > a.log 2>&1 || { fail "the test's commands:"; cat a.log; }
[ -f a/rerun.sh ] || fail "no rerun.sh"
[ "$(grep -c mkdisk a/rerun.sh)" -eq 2 ] || { fail "rerun.sh does not make both disks:"; cat a/rerun.sh; }
cp a/rerun.sh b/
(cd b && sh rerun.sh) > b.log 2>&1
cmp -s a/disk.img b/disk.img || fail "rerun.sh makes another disk"
cmp -s a/second.out b/second.out || { fail "rerun.sh's last run prints otherwise:"; diff a/second.out b/second.out; }
grep -q 'hello' b/second.out || fail "the rerun printed no hello: $(cat b/second.out b.log)"
exit $status
