# monitor - the monitor session of monitor.cmds (task 7), run as a script
# on sortnums with the input "3 1 2": it stops at isort, shows a1 = 3 and
# the array before the sort, the array after isort returned, and runs the
# program to its end with every command accepted.
. "$SRC/labs/tools/testlib.sh"
BUDGET=1000000
assemble t.elf "$LAB/sortnums.s" "$LAB/lab0.s"
printf '3 1 2\n' > in.txt
# A program that never ends (a read_int that misses the end of input)
# would keep 'continue' running: the session has a budget of BUDGET
# instructions and ends with 124 when it is spent.
rec "$(q "$BIN/vmlab" monitor --bare --max-insns "$BUDGET" --input in.txt --console console.txt -x "$LAB/monitor.cmds" t.elf)> mon.out 2>&1"
"$BIN/vmlab" monitor --bare --max-insns "$BUDGET" --input in.txt --console console.txt \
	-x "$LAB/monitor.cmds" t.elf > mon.out 2>&1
RC=$?
{ echo "=== vmlab monitor --bare --max-insns $BUDGET --input in.txt --console console.txt -x labs/lab0/monitor.cmds sortnums.elf"
  cat mon.out
  echo "--- console.txt (the guest's output):"; cat console.txt
  if [ $RC -eq 124 ]; then echo "=== stopped after $BUDGET instructions: the program never ended"
  else echo "=== exit status $RC"; fi; } >> "$OUT"
isort=$("$BIN/pg32-objdump" -t t.elf | awk '$NF == "isort" { print "0x" $1; exit }')
has() {	# ERE WHAT
	grep -a -q -E -e "$1" mon.out && return 0
	echo "expected $2 (a line matching: $1)"
	echo "got (mon.out):"; head -n 5 mon.out | sed 's/^/    /'
	return 1
}
clean() {	# only for a session that did the work (an empty one has no errors)
	if ! grep -a -q '^stop poweroff code=0 ' mon.out; then
		echo "not checked: the session did not run the program to its end"
		return 1
	fi
	[ "$RC" -eq 0 ] && ! grep -a -q -E '^([^ ]*:[0-9]+: )?error: ' mon.out && return 0
	echo "expected: every command succeeds (exit status 0); got status $RC"
	grep -a -E '^([^ ]*:[0-9]+: )?error: ' mon.out | head -n 3
	return 1
}
before_after() {
	_b=$(grep -a -n -E ': 3 1 2$' mon.out | head -n 1 | cut -d: -f1)
	_a=$(grep -a -n -E ': 1 2 3$' mon.out | head -n 1 | cut -d: -f1)
	[ -n "$_b" ] && [ -n "$_a" ] && [ "$_b" -lt "$_a" ] && return 0
	echo "expected: the array as signed decimals, '3 1 2' at the stop, then '1 2 3' after isort returned"
	grep -a -E '^0x[0-9a-f]{8} ' mon.out | head -n 4 | sed 's/^/    got: /'
	return 1
}
check 2 "stops at isort" has "^stop breakpoint [0-9]+ pc=$isort " "a stop at a breakpoint on isort ($isort)"
check 2 "shows the registers: a1 = 3, the count" has '^r5 +a1 +0x00000003$' "info registers at the stop"
check 3 "the array before and after the sort" before_after
check 2 "runs the program to its end" has '^stop poweroff code=0 ' "the program powered off"
check 1 "every command is accepted" clean
finish
