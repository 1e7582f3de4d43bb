# rounds - the pre-copy's rounds and stop rules (task 4), from the
# figures both sides report: a limited link makes several rounds whose
# pages both sides count alike; --migrate-rounds 1 stops on the round
# limit; a guest moved at boot does not stop on round 0's rates; a guest
# rewriting 64 pages faster than the link sends them stops on the dirty
# rate; the guest OS late in its run stops on a small dirty set.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/miglib.sh"
guestos

migrate lim 300000 "$os" --migrate-bw 512
check 3 "512 pages per step: the move works" moved lim ref
n=$(figure lim migrate 'round ' | wc -l)
check 3 "512 pages per step: at least 2 rounds ($n)" test "$n" -ge 2
check 2 "round 1 sends pages" said lim migrate 'round 1: [1-9]'
check 3 "both sides report the same rounds and pages" after_move lim \
	test "$(figure lim migrate 'round ')" = "$(figure lim listen 'round ')"

migrate one 300000 "$os" --migrate-bw 512 --migrate-rounds 1
check 2 "--migrate-rounds 1: one round" test "$(figure one migrate 'round ' | wc -l)" -eq 1
check 2 "--migrate-rounds 1: stops on the round limit" \
	said one migrate 'stop-and-copy: .*(the round limit)'
check 1 "--migrate-rounds 1: the move works" moved one ref

migrate boot 0 "$os"
n=$(figure boot migrate 'round ' | wc -l)
check 3 "moved at boot: round 0 copies what memory holds, its rates are not compared: more rounds ($n)" \
	test "$n" -ge 2
check 1 "moved at boot: the move works" moved boot ref

DISK=
# looper N: a program rewriting N pages for ever (progs/looper.s)
looper() {
	sed "s/NPAGES/$1/" "$LAB/tests/progs/looper.s" > looper$1.s
	assemble looper$1.elf looper$1.s
}
looper 64
looper 10
BUDGET=3000000
migrate hot 100000 looper64.elf --migrate-bw 16
check 2 "64 pages rewritten, 16 sent per step: stops on the dirty rate" \
	said hot migrate 'stop-and-copy: .*(the dirty rate is not below the send rate)'
migrate warm 100000 looper10.elf
check 2 "10 pages rewritten, an unlimited link: stops on the small dirty set" \
	said warm migrate 'stop-and-copy: 10 pages (the dirty set is small)'
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
migrate late 1000000 "$os"
check 1 "the guest OS at tick 1000000: stops on a small dirty set" \
	said late migrate 'stop-and-copy: .*(the dirty set is small)'
finish
