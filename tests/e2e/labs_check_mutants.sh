#!/bin/sh
# labs_check_mutants.sh - labs-check's rules on a lab's mutants
# (labs/README.md, "Mutants", "Adding a lab"), on a toy lab: fewer than
# five mutants is an error, and so is a mutant whose Expect-fail: names a
# test the manifest does not have (an error naming the mutant's file and
# the name, not a mutant that "fails" nothing).
status=0
chmod 755 .	# the autograder's sandbox user reads the tree
fail() { echo "FAIL: $*"; status=1; }

mkdir -p t/labs/tools t/labs/lab7/tests t/labs/lab7/mutants t/src
cp "$SRC"/labs/tools/* t/labs/tools/
cp "$SRC"/labs/labs.mk t/labs/
cd t
printf 'BUILD ?= build\nok:\n\t@true\n-include labs/labs.mk\n' > Makefile
printf 'title\tLab 7: a toy\ntag\tLAB7\nsubmit\tsrc/a.txt\nbuild\tok\ntest\tright\t1\ta\t-\n' > labs/lab7/lab.conf
printf '| test | points |\n|---|---|\n| `right` | 1 |\n| total | 1 |\n' > labs/lab7/README.md
printf 'x\n# LAB7 BEGIN: the answer\nright\n# LAB7 STUB\n#stub\n# LAB7 END\n' > src/a.txt
echo 'grep -q -x right "$SRC/src/a.txt"' > labs/lab7/tests/right.sh
mutant() {	# mutant NAME EXPECT-FAIL
	printf 'Mutant: %s\nExpect-fail: %s\n\n--- a/src/a.txt\n+++ b/src/a.txt\n@@ -3 +3 @@\n-right\n+wrong\n' "$1" "$2" \
		> labs/lab7/mutants/$1.patch
}
mutant wrong right
mutant typo rigth
sh labs/tools/check.sh ../work 7 > ../check.log 2>&1 && fail "labs-check passed a lab with two mutants, one naming no test"
grep -q -F "FAIL  mutants: 2 in labs/lab7/mutants/, a lab needs at least five" ../check.log ||
	fail "no error for two mutants"
grep -q -F "FAIL  mutant typo: labs/lab7/mutants/typo.patch: Expect-fail names 'rigth', not a test of labs/lab7/lab.conf" ../check.log ||
	fail "no error for a mutant naming no test"
grep -q -F "ok    mutant wrong: 0 / 1" ../check.log || fail "the right mutant"
for m in a b c d; do mutant $m right; done
rm labs/lab7/mutants/typo.patch
sh labs/tools/check.sh ../work 7 > ../check2.log 2>&1 || fail "labs-check failed a lab with five right mutants"
[ $status -eq 0 ] || { cat ../check.log; echo ---; cat ../check2.log; }
exit $status
