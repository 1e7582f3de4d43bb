#!/bin/sh
# run_dot_file.sh - vmlab run --dot FILE, bare and under the VMM: a path
# that cannot be written is refused before the guest runs (status 125, one
# line, no guest output), an existing picture is kept when the run cannot
# even start (bad image), and replaced after a run; a full device is a
# write error, not a silent loss.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
E=$BUILD/examples/hello.elf

for mode in --bare --vmm; do
	flag=$mode; [ $mode = --vmm ] && flag=
	for bad in /nonexistent/dir/t.dot .; do
		# shellcheck disable=SC2086
		"$BIN/vmlab" run $flag --dot "$bad" "$E" </dev/null >out 2>&1; st=$?
		[ $st -eq 125 ] || fail "$mode --dot $bad: status $st, want 125"
		grep -q 'Hello' out && fail "$mode --dot $bad: the guest ran first"
		[ "$(wc -l < out)" -eq 1 ] || fail "$mode --dot $bad: want one line"
		grep -q "^vmlab: $bad: cannot write: " out || fail "$mode --dot $bad: message"
	done
	echo 'digraph old {}' > t.dot
	# shellcheck disable=SC2086
	"$BIN/vmlab" run $flag --dot t.dot nosuch.elf </dev/null >out 2>&1
	[ $? -eq 125 ] || fail "$mode: bad image: status"
	[ "$(cat t.dot)" = 'digraph old {}' ] || fail "$mode: the picture was lost to a bad image"
	# shellcheck disable=SC2086
	"$BIN/vmlab" run $flag --dot t.dot "$E" </dev/null >out 2>&1 || fail "$mode: status $?"
	grep -q '^digraph traps {$' t.dot || fail "$mode: no picture"
	grep -q 'old' t.dot && fail "$mode: the old picture is still there"
	if [ -w /dev/full ]; then
		# shellcheck disable=SC2086
		"$BIN/vmlab" run $flag --dot /dev/full "$E" </dev/null >out 2>&1; st=$?
		[ $st -eq 125 ] || fail "$mode --dot /dev/full: status $st, want 125"
		grep -q '^vmlab: /dev/full: cannot write: ' out || fail "$mode --dot /dev/full: message"
	fi
done
exit 0
