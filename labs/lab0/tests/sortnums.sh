# sortnums - the whole program: numbers in, sorted numbers and their sum
# out, power off with 0.  Three numbers, none, and 400 random ones (the
# seed is printed).
. "$SRC/labs/tools/testlib.sh"
BUDGET=20000000
seed 1234
assemble t.elf "$LAB/sortnums.s" "$LAB/lab0.s"
# try NAME WHAT: input NAME.in, expected output NAME.want
try() {
	INPUT=$1.in run_guest "$1" t.elf
	check 1 "$2: powers off with 0" exits $RC 0
	check 3 "$2" same_file "$1.want" "$1.out"
}
printf '3 1\n2\n' > three.in
printf '1\n2\n3\nsum: 6\n' > three.want
try three "three numbers"
: > none.in
echo "sum: 0" > none.want
try none "no numbers at all"
rand_ints "$SEED" 400 -5000000 5000000 > random.in
{ sort -n random.in; awk '{ s += $1 } END { print "sum: " s }' random.in; } > random.want
try random "400 random numbers (seed $SEED)"
finish
