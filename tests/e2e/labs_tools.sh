#!/bin/sh
# labs_tools.sh - the lab framework's tools on a toy tree (labs/README.md):
# stub.awk's markers and its errors, handout.sh's tree (stubs, hidden
# tests and other labs left out), grade.sh's scores (partial credit
# scaled, a crash, a false claim of full marks, a hang stopped by the
# guard, a broken build: failed entries, never missing ones, with the
# compiler's errors; a failed test's folder kept with its commands; an
# unknown test name; how a run ended: a sanitizer report, a signal, a VMM
# failure in full) and the results.json it writes, valid JSON whatever
# bytes the tests printed.
status=0
fail() { echo "FAIL: $*"; status=1; }

mkdir -p t/labs/tools t/labs/lab7/tests t/labs/lab8 t/src
cp "$SRC"/labs/tools/* t/labs/tools/
cd t
BUILD=build	# the toy tree's own, not the repository's
cat > Makefile <<'MK'
ok:
	@true
broken:
	@echo "cc -Wall -Wextra -Werror -c ok.c"; echo "cc -Wall -Wextra -Werror -c broken.c"
	@printf 'broken.c: In function f:\nbroken.c:1:1: error: no\n    1 | x\n      | ^\ncc1: all warnings being treated as errors\n' >&2; exit 1
MK
echo "the project README: run .ci/deps" > README.md
cat > labs/lab7/lab.conf <<'CONF'
title	Lab 7: a toy
tag	LAB7
build	ok
test	partial	8	a	-
test	whole	2	a	free
test	crash	3	b	-
test	liar	3	b	-
test	hang	1	b	-
test	bytes	1	b	-
test	secret	5	b	hidden
CONF
echo "true" > labs/lab8/lab.conf
cat > labs/lab7/tests/partial.sh <<'T'
echo "FAIL  one part"; echo "@score 3 4"; exit 1
T
echo 'exit 0' > labs/lab7/tests/whole.sh
cat > labs/lab7/tests/crash.sh <<'T'
. "$SRC/labs/tools/testlib.sh"
echo made > prog.elf
rec "$(q "$BIN/vmlab" run --bare "it's here.elf")< /dev/null"
echo "@score 1 1"; kill -SEGV $$
T
echo 'echo "@score 4 4"; exit 1' > labs/lab7/tests/liar.sh
echo 'sleep 30' > labs/lab7/tests/hang.sh
printf 'printf "q\\" b\\\\ c\\001 d\\377 e\\000 f\\t\\n"; exit 1\n' > labs/lab7/tests/bytes.sh
echo 'exit 0' > labs/lab7/tests/secret.sh
cat > src/a.s <<'S'
before
# LAB7 BEGIN: write this
reference
# LAB7 STUB
#	stub line
## a comment
# LAB7 END
# LAB8 BEGIN: another lab's, kept
kept
# LAB8 END
after
S
cat > src/b.c <<'C'
int f(void)
{
	/* LAB7 BEGIN: f's body */
	return 42;
	/* LAB7 STUB
	return -1;
	LAB7 END */
}
C

# stub.awk
printf 'before\n# LAB7 BEGIN: write this\n\tstub line\n# a comment\n# LAB7 END\n# LAB8 BEGIN: another lab'"'"'s, kept\nkept\n# LAB8 END\nafter\n' > ../want.s
awk -v tag=LAB7 -f labs/tools/stub.awk src/a.s > ../got.s || fail "stub.awk a.s failed"
cmp -s ../want.s ../got.s || { fail "stub.awk, assembly:"; diff ../want.s ../got.s; }
printf 'int f(void)\n{\n\t/* LAB7 BEGIN: f'"'"'s body */\n\treturn -1;\n\t/* LAB7 END */\n}\n' > ../want.c
awk -v tag=LAB7 -f labs/tools/stub.awk src/b.c > ../got.c || fail "stub.awk b.c failed"
cmp -s ../want.c ../got.c || { fail "stub.awk, C:"; diff ../want.c ../got.c; }
printf '# LAB7 BEGIN\nx\n# LAB7 STUB\n' > ../bad.s
if awk -v tag=LAB7 -f labs/tools/stub.awk ../bad.s > /dev/null 2> ../err; then
	fail "stub.awk accepted a region without END"
fi
grep -q '^../bad.s:1: LAB7 BEGIN without LAB7 END$' ../err || { fail "stub.awk's message:"; cat ../err; }

# handout.sh
sh labs/tools/handout.sh labs/lab7 ../h > hlog 2>&1 || { fail "handout.sh:"; cat hlog; }
cmp -s ../h/src/a.s ../want.s || fail "handout: a.s not stubbed"
[ -e ../h/labs/lab8 ] && fail "handout: another lab's folder is in it"
[ -e ../h/labs/lab7/tests/secret.sh ] && fail "handout: the hidden test's script is in it"
grep -q secret ../h/labs/lab7/lab.conf && fail "handout: the hidden test is in the manifest"
grep -q '^make grade  ' ../h/README.md || fail "handout: the student README has no make grade"
grep -q '^- `partial` (8 points)$' ../h/README.md || fail "handout: the student README does not list the tests"
grep -q -e secret -e '\.ci/deps' ../h/README.md && fail "handout: the student README names a hidden test or .ci/deps"
grep -q 'the project README' ../h/VMLAB.md || fail "handout: the project's README is not VMLAB.md"
sh labs/tools/handout.sh --with-hidden labs/lab7 ../ha > hlog 2>&1 || fail "handout.sh --with-hidden"
[ -e ../ha/labs/lab7/tests/secret.sh ] || fail "handout --with-hidden: no hidden test"

# grade.sh: the scores
GRADE_TIMEOUT=2 MAKE=make sh labs/tools/grade.sh --json r.json labs/lab7 > glog 2>&1
rc=$?
[ $rc -eq 1 ] || fail "grade.sh exit status $rc, expected 1"
tsv=build/grade/lab7/results.tsv
expect() {	# expect TEST SCORE STATUS
	got=$(awk -F '\t' -v t="$1" '$1 == t { print $2, $4 }' "$tsv")
	[ "$got" = "$2 $3" ] || fail "test $1: '$got', expected '$2 $3'"
}
expect partial 6 failed
expect whole 2 passed
expect crash 0 failed
expect liar 0 failed
expect hang 0 failed
expect bytes 0 failed
expect secret 5 passed
grep -q '^total: 13 / 23$' glog || { fail "grade.sh's total:"; cat glog; }
grep -q 'killed after 2 s' build/grade/lab7/hang.log || fail "the hang guard said nothing"
# A failed test keeps its folder, with the commands it ran; a passed one not.
[ -f build/grade/lab7/crash/prog.elf ] || fail "the failed test's folder was not kept"
[ -e build/grade/lab7/whole ] && fail "the passed test's folder was kept"
grep -q "^  *rerun it: make grade LAB=7 TEST=crash; its commands one by one: (cd build/grade/lab7/crash && sh rerun.sh)$" glog ||
	{ fail "no rerun hint:"; cat glog; }
grep -q -F "\$ $PWD/build/bin/vmlab run --bare 'it'\\''s here.elf' < /dev/null" glog ||
	{ fail "the rerun command, quoted:"; cat glog; }
grep -q 'rerun it: make grade LAB=7 TEST=crash' build/grade/lab7/crash.log || fail "the rerun hint is not in the log"
GRADE_TIMEOUT=2 sh labs/tools/grade.sh --test whole labs/lab7 > glog2 2>&1 || fail "one test by name"
grep -q '^total: 2 / 2$' glog2 || fail "one test by name: $(cat glog2)"
sh labs/tools/grade.sh --test wohle labs/lab7 > glog2 2>&1 && fail "an unknown test name graded"
grep -q "no test named 'wohle'; the tests: partial whole crash liar hang bytes secret$" glog2 ||
	fail "an unknown test name: $(cat glog2)"

# results.json
grep -q '^  "score": 13,$' r.json || fail "results.json: score"
[ "$(grep -c '^    {"name": ' r.json)" -eq 7 ] || fail "results.json: not 7 tests"
grep -q '"visibility": "after_due_date"' r.json || fail "results.json: the hidden test's visibility"
grep -q 'q\\" b\\\\ c\\u0001 d\\u00ff e\\u0000 f\\t' r.json || { fail "results.json: escapes:"; grep bytes r.json; }
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool r.json > /dev/null || fail "results.json is not valid JSON"
fi
# Gradescope's specification, and what a student sees before the due date:
# the visible tests' points, not the total with the hidden test's in it.
LC_ALL=C awk -f labs/tools/results_check.awk r.json || fail "results.json does not follow Gradescope's format"
grep -q '"max_score": 23' r.json && fail "results.json: a top-level max_score"
grep -q '^  "output": "Lab 7: a toy: 8 / 18 on the visible tests; 1 more (5 points) graded but not shown yet' r.json ||
	fail "results.json: the top-level output: $(grep '^  "output"' r.json)"
grep -q '^  "visibility": "after_due_date",$' r.json || fail "results.json: the total is visible with a hidden test"
grep -q '^  "stdout_visibility": "hidden",$' r.json || fail "results.json: stdout visible"
# The checker itself refuses what Gradescope does not define.
bad_json() {	# DESCRIPTION JSON
	printf '%s\n' "$2" > bad.json
	LC_ALL=C awk -f labs/tools/results_check.awk bad.json > /dev/null && fail "results_check.awk accepted $1"
}
bad_json "a top-level max_score" '{"score": 1, "max_score": 2, "tests": []}'
bad_json "a bad visibility" '{"score": 1, "tests": [{"score": 1, "visibility": "sometimes"}]}'
bad_json "a bad status" '{"score": 1, "tests": [{"score": 1, "status": "ok"}]}'
bad_json "a score as a string" '{"score": "1"}'
bad_json "a trailing comma" '{"score": 1,}'
bad_json "a raw control character" "$(printf '{"score": 1, "output": "a\001"}')"
bad_json "a test without a score" '{"tests": [{"name": "x"}]}'

# a broken build: every test a failed entry
sed -i 's/^build	ok$/build	broken/' labs/lab7/lab.conf
sh labs/tools/grade.sh --json r2.json labs/lab7 > glog3 2>&1 && fail "a broken build graded as full marks"
grep -q '^  "score": 0,$' r2.json || fail "broken build: score not 0"
[ "$(grep -c '"status": "failed"' r2.json)" -eq 7 ] || fail "broken build: not 7 failed tests"
grep -q 'broken.c:1:1: error: no' r2.json || fail "broken build: the compiler's message is not in the results"
LC_ALL=C awk -f labs/tools/results_check.awk r2.json || fail "broken build: results.json does not follow Gradescope's format"
grep -q 'broken.c: In function f:\\n *broken.c:1:1: error: no\\n *    1 | x\\n *      | ^' r2.json ||
	fail "broken build: the message's lines are not in the results"
grep -A 3 'the build failed' glog3 | grep -q '^    broken.c:1:1: error: no$' ||
	{ fail "broken build: the error is not shown first:"; cat glog3; }
grep -q -e '-Werror' glog3 r2.json && fail "broken build: compiler command lines shown instead of the errors"

# How a run ended, in words (testlib's rc_text through run_guest): a
# sanitizer's finding with its report, not "powered off with code 1"; a
# crash's signal; a VMM failure's message in full, however long.
mkdir -p labs/lab6/tests fakebin
printf 'title\tLab 6: endings\ntag\tLAB6\nbuild\tok\ntest\tends\t3\ta\t-\ntest\tbig\t1\ta\t-\n' > labs/lab6/lab.conf
# A test whose output is longer than awk's sprintf buffer (mawk: 8 KiB).
echo 'awk "BEGIN { for (i = 0; i < 400; i++) print \"FAIL  line \" i \" of a long explanation\" }"; exit 1' > labs/lab6/tests/big.sh
long="lab2: the trap-and-emulate dispatch (dispatch, vm/vmm/vm.c) not implemented, and then some more words to pass the old cut at 150 characters"
cat > fakebin/vmlab <<FAKE
#!/bin/sh
case \$* in
*san.elf*) echo "==42==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6020" >&2
	echo "    #0 0x55 in cpu_step vm/hw/cpu.c:120" >&2; exit 1 ;;
*sig.elf*) kill -SEGV \$\$ ;;
*) echo "vmlab: VMM failure at pc 0x00001008: $long" >&2; exit 126 ;;
esac
FAKE
chmod +x fakebin/vmlab
cat > labs/lab6/tests/ends.sh <<'T'
. "$SRC/labs/tools/testlib.sh"
BIN=$SRC/fakebin
for p in san sig vmm; do
	run_guest $p $p.elf
	check 1 "$p" exits $RC 0
done
finish
T
sh labs/tools/grade.sh --json r6.json labs/lab6 > glog6 2>&1
LC_ALL=C awk -f labs/tools/results_check.awk r6.json || fail "a long test output: results.json is not Gradescope's format"
grep -q 'line 399 of a long explanation' r6.json || fail "a long test output: not in results.json"
log6=build/grade/lab6/ends.log
grep -q "got:      vmlab's host code failed a sanitizer check (status 1), not the guest: ERROR: AddressSanitizer: heap-buffer-overflow" $log6 ||
	{ fail "a sanitizer's error:"; cat $log6; }
grep -q "^ *#0 0x55 in cpu_step vm/hw/cpu.c:120" $log6 || fail "the sanitizer's report is not in the log"
grep -q "got:      vmlab crashed: signal SIGSEGV (status 139)" $log6 || { fail "a crash's signal:"; cat $log6; }
grep -q -F "got:      VMM failure at pc 0x00001008: $long (status 126)" $log6 || { fail "a VMM failure:"; cat $log6; }
grep -q -F "150 characters (status 126)" glog6 || { fail "a VMM failure cut in the terminal:"; cat glog6; }
exit $status
