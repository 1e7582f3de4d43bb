#!/bin/sh
# labs_tools.sh - the lab framework's tools on a toy tree (labs/README.md):
# stub.awk's markers and its errors, conf.awk's checks of a manifest (each
# mistake a located error), handout.sh's tree (stubs, hidden tests and
# other labs left out, a later lab's C file as a prebuilt object that the
# handout links, a later lab's line found by leak.awk), the README points
# table against the manifest, grade.sh's scores (partial credit
# scaled, a crash, a false claim of full marks, a hang stopped by the
# guard, a broken build: failed entries, never missing ones, with the
# compiler's errors; a failed test's folder kept with its commands; an
# unknown test name; how a run ended: a sanitizer report, a signal, a VMM
# failure in full) and the results.json it writes, valid JSON whatever
# bytes the tests printed.
status=0
fail() { echo "FAIL: $*"; status=1; }

mkdir -p t/labs/tools t/labs/lab7/tests t/labs/lab6 t/labs/lab8 t/src
cp "$SRC"/labs/tools/* t/labs/tools/
cp "$SRC"/labs/labs.mk t/labs/
cd t
BUILD=build	# the toy tree's own, not the repository's
cat > Makefile <<'MK'
BUILD ?= build
ok:
	@true
broken:
	@echo "cc -Wall -Wextra -Werror -c ok.c"; echo "cc -Wall -Wextra -Werror -c broken.c"
	@printf 'broken.c: In function f:\nbroken.c:1:1: error: no\n    1 | x\n      | ^\ncc1: all warnings being treated as errors\n' >&2; exit 1
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/prog: $(BUILD)/obj/src/main.o $(BUILD)/obj/src/c8.o
	$(CC) $^ -o $@
-include labs/labs.mk
MK
printf 'the project README:\n    .ci/deps && make run\n' > README.md
cat > labs/lab7/lab.conf <<'CONF'
title	Lab 7: a toy  # with a comment
tag	LAB7	# the marker tag
submit	src/a.s src/b.c	# the files handed in
build	ok	# make targets
#	name	points	group	flags
test	partial	8	a	-
test	whole	2	a	free	# needs no work
test	crash	3	b	-
test	liar	3	b	-
test	hang	1	b	-
test	bytes	1	b	-
test	secret	5	b	hidden
CONF
printf 'title\tLab 6\n' > labs/lab6/lab.conf
printf 'title\tLab 8\n' > labs/lab8/lab.conf
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
# LAB6 BEGIN: an earlier lab's, kept
kept
# LAB6 END
# LAB8 BEGIN: a later lab's, withheld
	la	a0, later_lab_answer
# LAB8 STUB
#	li	a0, -1
# LAB8 END
after
S
cat > src/c8.c <<'C'
int eight(void);
int eight(void)
{
	/* LAB8 BEGIN: a later lab's C, withheld but linked */
	return 4 * 2;	/* later_lab_c_answer */
	/* LAB8 STUB
	return -1;
	LAB8 END */
}
C
cat > src/main.c <<'C'
#include <stdio.h>
int eight(void);
int main(void) { printf("%d\n", eight()); return 0; }
C
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
printf 'before\n# LAB7 BEGIN: write this\n\tstub line\n# a comment\n# LAB7 END\n# LAB6 BEGIN: an earlier lab'"'"'s, kept\nkept\n# LAB6 END\n' > ../want.s
printf '# LAB8 BEGIN: a later lab'"'"'s, withheld\n\tla\ta0, later_lab_answer\n# LAB8 STUB\n#\tli\ta0, -1\n# LAB8 END\nafter\n' > ../want8.s
cat ../want.s ../want8.s > ../want7.s
awk -v tag=LAB7 -f labs/tools/stub.awk src/a.s > ../got.s || fail "stub.awk a.s failed"
cmp -s ../want7.s ../got.s || { fail "stub.awk, assembly:"; diff ../want7.s ../got.s; }
printf '# LAB8 BEGIN: a later lab'"'"'s, withheld\n\tli\ta0, -1\n# LAB8 END\nafter\n' >> ../want.s
printf 'int f(void)\n{\n\t/* LAB7 BEGIN: f'"'"'s body */\n\treturn -1;\n\t/* LAB7 END */\n}\n' > ../want.c
awk -v tag=LAB7 -f labs/tools/stub.awk src/b.c > ../got.c || fail "stub.awk b.c failed"
cmp -s ../want.c ../got.c || { fail "stub.awk, C:"; diff ../want.c ../got.c; }
printf '# LAB7 BEGIN\nx\n# LAB7 STUB\n' > ../bad.s
if awk -v tag=LAB7 -f labs/tools/stub.awk ../bad.s > /dev/null 2> ../err; then
	fail "stub.awk accepted a region without END"
fi
grep -q '^../bad.s:1: LAB7 BEGIN without LAB7 END$' ../err || { fail "stub.awk's message:"; cat ../err; }
printf '# LAB7 BEGIN\nx\n# LAB8 END\n' > ../bad2.s
awk -v tags="LAB7 LAB8" -f labs/tools/stub.awk ../bad2.s > /dev/null 2> ../err &&
	fail "stub.awk accepted a LAB8 END closing a LAB7 region"
grep -q '^../bad2.s:3: LAB8 END inside the LAB7 region opened at line 1$' ../err || { fail "stub.awk's message:"; cat ../err; }

# conf.awk: the manifest above, comments and all, is right; each mistake
# is an error at its line.
awk -f labs/tools/conf.awk labs/lab7/lab.conf > ../m || fail "conf.awk refused the toy manifest"
grep -q "^tag	LAB7$" ../m || fail "conf.awk: tag with a comment: $(grep ^tag ../m)"
grep -q "^submit	src/a.s src/b.c$" ../m || fail "conf.awk: submit with a comment: $(grep ^submit ../m)"
grep -q "^build	ok$" ../m || fail "conf.awk: build with a comment: $(grep ^build ../m)"
grep -q "^title	Lab 7: a toy$" ../m || fail "conf.awk: title with a comment: $(grep ^title ../m)"
grep -q "^test	whole	2	a	free	visible	7$" ../m || fail "conf.awk: a test with a comment: $(grep whole ../m)"
cp labs/lab7/lab.conf ../good.conf
mistake() {	# mistake LINE MESSAGE SED: the manifest edited by SED fails at LINE with MESSAGE
	sed "$3" ../good.conf > labs/lab7/lab.conf
	if awk -f labs/tools/conf.awk labs/lab7/lab.conf > /dev/null 2> ../err; then
		fail "conf.awk accepted: $2"
	elif ! grep -q "^labs/lab7/lab.conf:$1: $2" ../err; then
		fail "conf.awk, for '$2', said:"; cat ../err
	fi
	if sh labs/tools/grade.sh labs/lab7 > /dev/null 2> ../err2; then
		fail "grade.sh graded a manifest with: $2"
	fi
	grep -q "^labs/lab7/lab.conf:$1: " ../err2 || { fail "grade.sh, for '$2', said:"; cat ../err2; }
}
mistake 2 "tag 'LAB5': the tag of lab7 is LAB7" 's/^tag.*/tag LAB5  # the marker tag/'
mistake 3 "submit 'src/a.s#x': no such file" 's/^submit.*/submit src\/a.s#x/'
mistake 3 "submit 'the': no such file" 's/^submit.*/submit src\/a.s src\/b.c the file/'
mistake 4 "build 'a;b': not a make target name" 's/^build.*/build a;b/'
mistake 12 "test secret: unknown flag 'hiden'" 's/hidden$/hiden/'
mistake 12 "test secret: visibility 'sometimes'" 's/hidden$/vis=sometimes/'
mistake 6 "test partial: points 'five': a positive number" 's/^test	partial	8/test	partial	five/'
mistake 6 "test partial: points '0': a positive number" 's/^test	partial	8/test	partial	0/'
mistake 6 "test NAME POINTS GROUP FLAGS ('-' for no flags): 3 fields" 's/^test	partial	8	a	-/test	partial	8	a/'
mistake 7 "test whole: 'free' and 'hidden'" 's/free/free,hidden/'
mistake 7 "test whole: a flag given twice" 's/free/free,free/'
mistake 8 "test 'partial' twice (the first is line 6)" 's/^test	crash/test	partial/'
mistake 8 "test 'nosuch': no script labs/lab7/tests/nosuch.sh" 's/^test	crash/test	nosuch/'
mistake 1 "unknown directive 'titel'" 's/^title/titel/'
mistake 4 "a second 'tag' line (the first is line 2)" 's/^build.*/tag LAB7/'
mistake 11 "no 'build' line" '/^build/d'
cp ../good.conf labs/lab7/lab.conf

# The README's example manifest is a right one.
mkdir -p ../ex && awk '/^```/ { if (on) exit; next } /^title/ { on = 1 } on' "$SRC/labs/README.md" > ../ex/conf
(cd ../ex && mkdir -p labs/lab1/tests && cp conf labs/lab1/lab.conf &&
	for f in $(awk '$1 == "submit" { for (i = 2; i <= NF && $i != "#"; i++) print $i }' conf); do
		mkdir -p "$(dirname "$f")" && : > "$f"; done &&
	for t in $(awk '$1 == "test" { print $2 }' conf); do : > "labs/lab1/tests/$t.sh"; done &&
	awk -f "$SRC/labs/tools/conf.awk" labs/lab1/lab.conf > m 2> err) ||
	{ fail "the README's example manifest:"; cat ../ex/err; }
grep -q "^test	write_edges	5	syscalls	hidden	after_due_date" ../ex/m || fail "the README's example: $(cat ../ex/m)"

# points.awk: a README table that disagrees with the manifest
awk -f labs/tools/conf.awk labs/lab7/lab.conf > ../m
printf '| test | points |\n|---|---|\n| `partial` | 8 |\n| `whole` | 2 |\n| `crash` | 3 |\n| `liar` | 3 |\n| `hang` | 1 |\n| `bytes` | 1 |\n| total | 18 |\n\nThe autograder adds a test worth 5 more points. The handout earns the 2 points of `whole`.\n' > ../README.md
awk -f labs/tools/points.awk ../m ../README.md 2> ../err || { fail "points.awk refused a right table:"; cat ../err; }
sed 's/`whole` | 2/`whole` | 3/; s/worth 5/worth 4/' ../README.md > ../README2.md
awk -f labs/tools/points.awk ../m ../README2.md 2> ../err && fail "points.awk accepted a wrong table"
grep -q '^../README2.md:4: the table gives whole 3 points, the manifest 2$' ../err || { fail "points.awk's message:"; cat ../err; }
grep -q '^../README2.md:11: says the hidden tests are worth 4 more points, the manifest 5$' ../err || { fail "points.awk's message:"; cat ../err; }

# handout.sh
sh labs/tools/handout.sh labs/lab7 ../h > hlog 2>&1 || { fail "handout.sh:"; cat hlog; }
cmp -s ../h/src/a.s ../want.s || { fail "handout: a.s not stubbed:"; diff ../want.s ../h/src/a.s; }
[ -e ../h/labs/lab8 ] && fail "handout: another lab's folder is in it"
# the later lab's C: stubbed in the source, its reference linked as object code
grep -q later_lab_c_answer ../h/src/c8.c && fail "handout: the later lab's C region is in it"
[ -f ../h/labs/prebuilt/src/c8.o ] || fail "handout: no prebuilt object for src/c8.c"
(cd ../h && make -s build/prog > /dev/null 2>&1 && ./build/prog) > ../prog.out 2>&1
[ "$(cat ../prog.out)" = 8 ] || { fail "handout: the program with the prebuilt object prints:"; cat ../prog.out; }
# leak.awk: a line of a withheld region in any file of the handout
awk -v tags="LAB7 LAB8" -v mode=withheld -f labs/tools/stub.awk src/a.s src/c8.c > ../withheld
: > ../public
(cd ../h && awk -v public=../public -f ../t/labs/tools/leak.awk ../withheld $(find . -type f ! -name '*.o' ! -path './build/*')) > ../leaks ||
	{ fail "leak.awk found a leak in a clean handout:"; cat ../leaks; }
printf 'A hint:\n    la a0, later_lab_answer\n' > ../h/HINTS.md
(cd ../h && awk -v public=../public -f ../t/labs/tools/leak.awk ../withheld HINTS.md) > ../leaks &&
	fail "leak.awk missed a withheld line in a .md file"
grep -q '^HINTS.md:2: withheld line (from src/a.s:12): la a0, later_lab_answer$' ../leaks || { fail "leak.awk said:"; cat ../leaks; }
# a tag that marks nothing, a later region in a header or in a file the
# student edits: the handout fails with the place
sed 's/LAB7/LAB9/g' src/a.s > src/a9.s && mv src/a9.s src/a.s && sed -i 's/LAB7/LAB9/g' src/b.c
sh labs/tools/handout.sh labs/lab7 ../h9 > /dev/null 2> ../err && fail "handout.sh: a tag without regions"
grep -q "^labs/lab7/lab.conf:2: tag LAB7 marks no region" ../err || { fail "handout.sh, tag without regions:"; cat ../err; }
sed -i 's/LAB9/LAB7/g' src/a.s src/b.c
printf '/* LAB8 BEGIN: x */\n#define X 1\n/* LAB8 END */\n' > src/h8.h
sh labs/tools/handout.sh labs/lab7 ../h9 > /dev/null 2> ../err && fail "handout.sh: a later lab's region in a header"
grep -q "^src/h8.h:1: a LAB8 region in a header cannot be withheld" ../err || { fail "handout.sh, header:"; cat ../err; }
rm src/h8.h
cp src/b.c ../b.c && cat src/c8.c >> src/b.c
sh labs/tools/handout.sh labs/lab7 ../h9 > /dev/null 2> ../err && fail "handout.sh: a later lab's region in a submitted file"
grep -q "^src/b.c:12: a LAB8 region in a file that lab 7's student edits" ../err || { fail "handout.sh, mixed file:"; cat ../err; }
cp ../b.c src/b.c
[ -e ../h/labs/lab7/tests/secret.sh ] && fail "handout: the hidden test's script is in it"
grep -q secret ../h/labs/lab7/lab.conf && fail "handout: the hidden test is in the manifest"
grep -q '^make grade  ' ../h/README.md || fail "handout: the student README has no make grade"
grep -q '^- `partial` (8 points)$' ../h/README.md || fail "handout: the student README does not list the tests"
grep -q -e secret -e '\.ci/deps' ../h/README.md && fail "handout: the student README names a hidden test or .ci/deps"
grep -q 'the project README' ../h/VMLAB.md || fail "handout: the project's README is not VMLAB.md"
grep -q '^    make run$' ../h/VMLAB.md && ! grep -q '\.ci/deps &&' ../h/VMLAB.md ||
	fail "handout: VMLAB.md's commands run .ci/deps, which a handout has not: $(cat ../h/VMLAB.md)"
# What the tree needs to build, a part of .ci/deps's list, in the README.
deps=$(sh -c '. labs/tools/common.sh; echo $LAB_BUILD_DEPS')
grep -q -F "sudo apt-get install $deps " ../h/README.md || fail "handout: the README does not install $deps"
for p in $deps; do grep -q "^pkgs=.*[ \"]$p[ \"]" "$SRC/.ci/deps" || fail "handout: $p is not in .ci/deps"; done
case " $deps " in *" zlib1g-dev "*) ;; *) fail "the handout's packages lack zlib1g-dev" ;; esac
grep -q -e '-Werror' ../h/README.md && grep -q 'make grade SANITIZE=1' ../h/README.md ||
	fail "handout: the README says nothing of -Werror or of make grade SANITIZE=1"
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
san=; [ -n "${SANITIZE:-}" ] && san=" SANITIZE=$SANITIZE"	# the hint repeats it
grep -q "^  *rerun it: make grade LAB=7 TEST=crash$san; its commands one by one: (cd build/grade/lab7/crash && sh rerun.sh)$" glog ||
	{ fail "no rerun hint:"; cat glog; }
grep -q -F "\$ $PWD/build/bin/vmlab run --bare 'it'\\''s here.elf' < /dev/null" glog ||
	{ fail "the rerun command, quoted:"; cat glog; }
grep -q 'rerun it: make grade LAB=7 TEST=crash' build/grade/lab7/crash.log || fail "the rerun hint is not in the log"
GRADE_TIMEOUT=2 sh labs/tools/grade.sh --test whole labs/lab7 > glog2 2>&1 || fail "one test by name"
grep -q '^total: 2 / 2$' glog2 || fail "one test by name: $(cat glog2)"
sh labs/tools/grade.sh --test wohle labs/lab7 > glog2 2>&1 && fail "an unknown test name graded"
grep -q "no test named 'wohle'; the tests: partial whole crash liar hang bytes secret$" glog2 ||
	fail "an unknown test name: $(cat glog2)"
# Several by name (labs-check grades a mutant so): in the manifest's order.
GRADE_TIMEOUT=2 sh labs/tools/grade.sh --test secret,whole labs/lab7 > glog2 2>&1 || fail "two tests by name"
[ "$(awk -F '\t' '{ printf "%s ", $1 }' "$tsv")" = "whole secret " ] && grep -q '^total: 7 / 7$' glog2 ||
	fail "two tests by name: $(cat glog2)"
sh labs/tools/grade.sh --test whole,wohle labs/lab7 > glog2 2>&1 && fail "an unknown name in a list graded"
grep -q "no test named 'wohle'" glog2 || fail "an unknown name in a list: $(cat glog2)"
sh labs/tools/grade.sh --test , labs/lab7 > glog2 2>&1 && fail "a list of no names graded"
grep -q "no test named in ','" glog2 || fail "a list of no names: $(cat glog2)"

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
sed -i 's/^build	ok/build	broken/' labs/lab7/lab.conf
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
: > x.s
printf 'title\tLab 6: endings\ntag\tLAB6\nsubmit\tx.s\nbuild\tok\ntest\tends\t3\ta\t-\ntest\tbig\t1\ta\t-\n' > labs/lab6/lab.conf
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
