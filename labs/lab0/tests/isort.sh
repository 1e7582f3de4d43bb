# isort - isort(a, n) on the empty array, one element, sorted, reversed,
# duplicates, extreme values, and two random arrays (the seed is printed);
# nothing outside the array changes; the calling convention.
. "$SRC/labs/tools/testlib.sh"
BUDGET=20000000
seed 20240901
# The cases, one per line: the array's values, space-separated.
{
	echo ""
	echo "5"
	echo "1 2 3 4 5"
	echo "5 4 3 2 1"
	echo "3 1 3 1 2 2 3"
	echo "-1 5 -2147483648 2147483647 0 -7 -2147483647"
	rand_ints "$SEED" 50 -1000 1000 | tr '\n' ' '; echo
	rand_ints "$((SEED + 1))" 300 -1000000000 1000000000 | tr '\n' ' '; echo
} > cases.txt
# data.s: each array between guard words, then the table.
awk '{
	printf "\t.data\n\t.align\t4\n\t.word\t0x6a6a6a6a\narr%d:", NR - 1
	for (i = 1; i <= NF; i++) printf "\t.word\t%s\n", $i
	if (NF == 0) printf "\n"
	printf "\t.word\t0x6a6a6a6a\n"
	n[NR - 1] = NF
} END {
	printf "\t.align\t4\n\t.globl\tcases\ncases:\n"
	for (i = 0; i < NR; i++) printf "\t.word\t%d, arr%d\n", n[i], i
	printf "\t.word\t-1, 0\n"
}' cases.txt > data.s
assemble t.elf "$LAB/tests/isort_h.s" data.s "$LAB/lab0.s"
run_guest isort t.elf
k=0
while IFS= read -r line; do
	want="isort $k:$(printf '%s\n' $line | sort -n | awk 'NF { printf " %s", $1 }')"
	set -- $line
	case $k in
	0) what="the empty array (n = 0)" ;; 1) what="one element" ;;
	2) what="already sorted" ;; 3) what="reversed" ;; 4) what="duplicates" ;;
	5) what="the extremes (signed comparison)" ;;
	*) what="$# random values (seed $SEED)" ;;
	esac
	check 2 "$what" has_line isort.out "$want"
	k=$((k + 1))
done < cases.txt
check 1 "exits normally" exits $RC 0
check 2 "writes nothing outside the array" finished $RC lacks_match isort.out '^guard:'
check 2 "calling convention (s0-s3, gp, sp, the caller's stack)" finished $RC lacks_match isort.out '^convention:'
finish
