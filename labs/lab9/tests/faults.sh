# faults - failures (all tasks; hidden): the destination killed during the
# pre-copy or at commitment leaves the source running the guest to the
# end, unharmed; a destination given a disk of another size refuses the
# VM at the reservation and the source runs on.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/miglib.sh"
guestos
# after_whole LABEL CMD...: CMD, once the source's transcript was whole
after_whole() {
	_l=$1; shift
	cmp -s ref.out $_l.src.out || { echo "not checked: the transcript is not whole"; return 1; }
	"$@"
}
for stage in pre-copy stop-and-copy commitment; do
	DIE_DST=$stage migrate d_$stage 1000000 "$os"
	check 2 "the destination killed at $stage: the source runs on, its transcript whole" \
		same_file ref.out d_$stage.src.out
	check 1 "the destination killed at $stage: the source powers off with 0" \
		after_whole d_$stage test "$RC_SRC" -eq 0
done
DIE_DST=
migrate lim 300000 "$os" --migrate-bw 512 --shadow=trace
check 4 "trace policy, a limited link: the move works" moved lim ref
finish
