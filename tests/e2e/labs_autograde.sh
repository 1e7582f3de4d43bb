#!/bin/sh
# labs_autograde.sh - the autograder's handling of a submission and of
# what the tests print, on a toy lab (labs/README.md, "The autograder",
# "results.json"): a submitted file that is a symbolic link (to a hidden
# test), or reached through one, is refused, not read; a second
# submission graded in the same tree gets the stub for a file it leaves
# out, not the previous submission's; no file a test writes grows past
# GRADE_FILE_MB, and the log says the output was cut; well-formed UTF-8
# reaches results.json as it is; a check's description is printed as it
# is (no backslash escapes); the terminal folds long lines at blanks; a
# grade under SANITIZE=1 says to rerun the failed test so.
# As root (CI), autograde.sh grades in its sandbox, as on Gradescope.
status=0
fail() { echo "FAIL: $*"; status=1; }

chmod 755 .	# the sandbox's user reads the tree
mkdir -p t/labs/tools t/labs/lab7/tests t/src
cp "$SRC"/labs/tools/* t/labs/tools/
cp "$SRC"/labs/labs.mk t/labs/
cd t
printf 'BUILD ?= build\nok:\n\t@true\n-include labs/labs.mk\n' > Makefile
cat > labs/lab7/lab.conf <<'CONF'
title	Lab 7: a toy autograder
tag	LAB7
submit	src/sub.txt
build	ok
test	show	2	a	-
test	big	1	a	-
test	words	1	a	-
test	secret	1	a	hidden
CONF
echo stub > src/sub.txt
cat > labs/lab7/tests/show.sh <<'T'
. "$SRC/labs/tools/testlib.sh"
cat "$SRC/src/sub.txt"
check 1 'the file says "right\n"' grep -q -x right "$SRC/src/sub.txt"
finish
T
# 3 MB to one file, then the guest "run" of testlib, cut by its signal
cat > labs/lab7/tests/big.sh <<'T'
. "$SRC/labs/tools/testlib.sh"
head -c 3000000 /dev/zero > zeros
head -c 3000000 /dev/zero | tr '\0' x > "$OUT"
check 1 "ends well" true
finish
T
cat > labs/lab7/tests/words.sh <<'T'
printf 'vm.c:1:5: error: \342\200\230x\342\200\231 undeclared; \377 a long line: '
i=0; while [ $i -lt 40 ]; do printf 'runtime error '; i=$((i + 1)); done; echo
exit 1
T
printf '# TOPSECRET: the hidden test\nexit 0\n' > labs/lab7/tests/secret.sh
echo "a handout" > README.md

# grade SUB NAME: the submission folder SUB graded as run_autograder does;
# the results in NAME.json, the output in NAME.log.
grade() {
	GRADE_FILE_MB=1 sh labs/tools/autograde.sh labs/lab7 "$1" "../$2.json" > "../$2.log" 2>&1
	LC_ALL=C awk -f labs/tools/results_check.awk "../$2.json" > ../check 2>&1 ||
		fail "$2: results.json is not Gradescope's format: $(cat ../check)"
	if command -v python3 >/dev/null 2>&1; then
		python3 -m json.tool "../$2.json" > /dev/null 2>&1 || fail "$2: results.json is not valid JSON"
	fi
}
score() {	# score JSON TEST
	sed -n "s/^    {\"name\": \"$2\", \"score\": \([^,]*\),.*/\1/p" "$1"
}

# A symbolic link to the hidden test, and a folder that is one.
mkdir -p ../link ../dirlink ../elsewhere/src
ln -s "$PWD/labs/lab7/tests/secret.sh" ../link/sub.txt
mkdir -p ../link/src && ln -s "$PWD/labs/lab7/tests/secret.sh" ../link/src/sub.txt
echo right > ../elsewhere/src/sub.txt
ln -s "$PWD/../elsewhere/src" ../dirlink/src
grade ../link link
grep -q TOPSECRET ../link.json ../link.log && fail "a symbolic link: the hidden test is in the results"
grep -q 'src/sub.txt is a symbolic link or not a regular file: refused' ../link.json ||
	fail "a symbolic link: not refused in results.json: $(grep '^  "output"' ../link.json)"
grep -q 'src/sub.txt MISSING: graded as the handout' ../link.json || fail "a symbolic link: not graded as the stub"
grade ../dirlink dirlink
[ "$(score ../dirlink.json show)" = 0 ] || fail "a file through a linked folder was graded: $(score ../dirlink.json show)"
grep -q 'src/sub.txt is a symbolic link or not a regular file: refused' ../dirlink.json ||
	fail "a file through a linked folder: not refused"

# The right file, then an empty submission in the same tree.
mkdir -p ../right ../empty
echo right > ../right/sub.txt
grade ../right right
[ "$(score ../right.json show)" = 2 ] || fail "the right file: show $(score ../right.json show), not 2 ($(cat ../right.log))"
grade ../empty empty
[ "$(score ../empty.json show)" = 0 ] || fail "an empty submission after another: show $(score ../empty.json show), not 0"
grep -q 'src/sub.txt MISSING: graded as the handout' ../empty.json || fail "an empty submission: not said MISSING"
[ "$(cat src/sub.txt)" = stub ] || fail "an empty submission: the tree holds '$(cat src/sub.txt)', not the stub"

# The cap on a test's files, said in the log.
gd=grade/lab7; [ -d "$gd" ] || gd=build/grade/lab7
size=$(wc -c < "$gd/big.out")
[ "$size" -le 1048576 ] || fail "a test's transcript grew to $size bytes, past GRADE_FILE_MB=1"
grep -q 'output cut: big.out reached the limit of 1 MB per file' ../empty.json ||
	fail "the cut is not said: $(grep '"big"' ../empty.json)"

# What the tests print: UTF-8 as it is, a description's backslash as it is.
grep -q 'error: ‘x’ undeclared; \\u00ff a long' ../empty.json || fail "UTF-8 in results.json: $(grep '"words"' ../empty.json)"
grep -q -F 'FAIL  the file says \"right\\n\"' ../empty.json ||
	fail "a description with a backslash: $(grep '"show"' ../empty.json)"
grep -q 'runtime er$' ../empty.log && fail "the terminal folds a line inside a word"
grep -q 'runtime error *$' ../empty.log || fail "the terminal's long line: $(grep runtime ../empty.log)"

# A grade under the sanitizers says to rerun under them too.
SANITIZE=1 sh labs/tools/grade.sh --test words labs/lab7 > ../san.log 2>&1
grep -q 'rerun it: make grade LAB=7 TEST=words SANITIZE=1$' ../san.log || fail "the rerun hint under SANITIZE=1: $(grep rerun ../san.log)"
exit $status
