# isolation - a VM's failure stays its own under the credit scheduler
# (tasks 1 to 5): beside VMs that double-fault, deadlock, attack their VMM
# or exhaust their shadow pages, and a hog of four times its weight, the
# guest OS prints its bare transcript (virtual time: each VM is its solo
# run); in real time, VMs that stop (faulting, or done) or sleep for good
# leave their credit to the others, which then share the CPU by their
# weights.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=20000000
assemble spin.elf "$LAB/tests/progs/spin.s"
assemble quick.elf "$LAB/tests/progs/quick.s"
assemble asleep.elf "$LAB/tests/progs/asleep.s"
for p in hostile doublefault deadlock exhaust; do
	assemble $p.elf "$SRC/tests/e2e/vmm/$p.s"
done
yes "vmlab disk pattern 0123456789" | head -c 8192 > h.img
cp "$BUILD/guestos/disk.img" os.img
EXPECT_RC=126
host iso --sched=credit --quantum 2000 --vm "$BUILD/guestos/kernel.elf,disk=os.img,name=os" \
	--vm hostile.elf,disk=h.img --vm doublefault.elf,name=df --vm deadlock.elf,name=dl \
	--vm exhaust.elf --vm spin.elf,name=hog,weight=1024
check 6 "the guest OS beside five bad neighbours: its bare transcript" \
	after iso same_file "$SRC/guestos/tests/boot.expected" iso.d/os.out
check 1 "df's double fault and dl's deadlock are theirs alone" after iso in_order iso.err \
	"vmlab: df: double fault: the trap handler at pc 0x07000000 faulted: bus (badva 0x07000000)" \
	"vmlab: dl: deadlock: wfi at pc 0x00001020 with nothing that can wake it"
check 1 "the other VMs power off with 0" after iso lacks_match iso.err '^vmlab: (os|vm1|vm4):'
BUDGET=3000000
host gone --time=real --sched=credit --no-boost --vm quick.elf,name=quick,weight=2 \
	--vm doublefault.elf,name=df,weight=8 --vm asleep.elf,name=zz,weight=8 \
	--vm spin.elf,name=a,weight=1 --vm spin.elf,name=b,weight=3
check 3 "quick.s done after 300000 ticks, df stopped, zz asleep for good: a (weight 1) gets 1/4 of the rest" \
	share gone a 0.225 0.012 "(3000000 - 300000) / 4 / 3000000, and the periods zz takes to reach the clamp"
check 3 "... and b (weight 3) 3/4 of it" share gone b 0.675 0.012 "(3000000 - 300000) * 3 / 4 / 3000000"
check 1 "quick.s ran its 300000 ticks and powered off with 0" \
	within gone quick_ran 300000 300010 "2 * 150000 and a few"
finish
