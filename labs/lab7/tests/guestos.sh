# guestos - the guest OS on PG32-L under --bt (all tasks), with both shadow
# policies: the bare machine's console output, exit status and disk; its
# kernel ran translated (translations, every kind of callout, chained
# jumps); and the same output once more with console input.
. "$LAB/tests/btlib.sh"
BUDGET=20000000
HANG=60
DISK=$BUILD/guestos/disk.img
for POLICY in flush trace; do
	both os_$POLICY "$BUILD/guestos/kernel.elf" --isa=leaky
	check 3 "$POLICY: the same exit status (0) as on the bare machine" exits "$RC_VMM" "$RC_BARE"
	check 5 "$POLICY: the bare machine's console output" same_output os_$POLICY
	check 3 "$POLICY: the same disk" same_disk os_$POLICY
	check 2 "$POLICY: the same end state, ticks and RAM included" same_state os_$POLICY
	[ $POLICY = flush ] && RC_FLUSH=$RC_VMM
done
for n in translations callouts_emulate callouts_call callouts_indirect chained_jumps; do
	check 1 "--stats: vmm_bt_$n" finished "$RC_FLUSH" stat_above os_flush vmm_bt_$n 0 "the kernel's $n"
done
printf 'one line of input\n' > in.txt
POLICY=flush
INPUT=in.txt both echo "$BUILD/guestos/kernel.elf" --isa=leaky
check 2 "with console input: the bare machine's output" same_output echo
finish
