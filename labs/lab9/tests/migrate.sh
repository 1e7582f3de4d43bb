# migrate - the guest OS moved live to another vmlab process (all tasks):
# at three ticks, under both shadow policies, at unlimited bandwidth.  The
# source's transcript followed by the destination's is the run that never
# moved, and so are the disk and the final guest state.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/miglib.sh"
guestos
for case in "flush 300000" "flush 1000000" "trace 1000000" "trace 1600000"; do
	set -- $case
	migrate m_$1_$2 $2 "$os" --shadow=$1
	check 3 "$1, at tick $2: the transcript is the run that never moved's" moved m_$1_$2 ref
	check 2 "$1, at tick $2: the destination's disk is the run that never moved's" \
		after_move m_$1_$2 same_file ref.img m_$1_$2.img
	check 1 "$1, at tick $2: the final guest state (registers, ticks, RAM)" \
		after_move m_$1_$2 end_state m_$1_$2 ref
done
finish
