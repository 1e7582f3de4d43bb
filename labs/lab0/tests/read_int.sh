# read_int - reads numbers from console input: separated by spaces,
# newlines, tabs and CRs; negative ones; the extremes; a last number with
# no newline after it; empty input and blanks only (the end at once); 200
# random numbers (the seed is printed).  The calling convention.
. "$SRC/labs/tools/testlib.sh"
BUDGET=5000000
seed 4711
assemble t.elf "$LAB/tests/read_int_h.s" "$LAB/lab0.s"
# try NAME WHAT INPUT EXPECTED: run with INPUT (printf format) as the console input.
try() {
	printf "$3" > "$1.in"
	printf "$4" > "$1.want"
	INPUT=$1.in run_guest "$1" t.elf
	check 1 "$2: exits normally" exits $RC 0
	check 2 "$2" same_file "$1.want" "$1.out"
}
try simple "1 2 3" '1 2 3\n' '[1]\n[2]\n[3]\nend\n'
try blanks "blanks of every kind, a negative number" '  -42\n\t7\r\n 10\n' '[-42]\n[7]\n[10]\nend\n'
try extremes "the extremes, no newline at the end" '2147483647 -2147483648 0' '[2147483647]\n[-2147483648]\n[0]\nend\n'
try empty "empty input" '' 'end\n'
try spaces "blanks only" '   \n\n\t ' 'end\n'
rand_ints "$SEED" 200 -100000 100000 | tr '\n' ' ' > random.in
rand_ints "$SEED" 200 -100000 100000 | sed 's/.*/[&]/' > random.want; echo end >> random.want
INPUT=random.in run_guest random t.elf
check 2 "200 random numbers (seed $SEED)" same_file random.want random.out
check 2 "calling convention (s0-s3, gp, sp, the caller's stack)" finished $RC lacks_match "$OUT" '^convention:'
finish
