/*
 * worldswitch.c - the world switch: take one VM off the machine, put
 * another one on.
 *
 * A VM's state is in two places.  Its virtual state (VCPU, shadow page
 * tables, devices, guest time offset) lives in struct vm all along; only
 * what the guest runs on directly lives in the machine's CPU while it runs:
 *
 *	machine CPU          saved in struct ws_saved while off
 *	r1..r15, pc          r[], pc
 *	ptb (shadow root)    vm->sh.mptb (the shadows stay in the pool)
 *	ticks                the guest clock: now (vm_now = hw_ticks + tick_off)
 *	                     and its direct instructions (hw_ticks - direct_off)
 *	TLB                  kept: its entries wait under its tags
 *	breakpoints,         vm->bp, vm->wp: removed from the machine and
 *	watchpoints          installed again for the incoming VM
 *	trap handler         the fast path's context: the incoming VM
 *
 * A switch the scheduler makes is counted (statistics, the time the
 * incoming VM waited); one made only to look at a VM (host_select: the
 * monitor, snapshots) is not, so looking changes no figure of the run.
 *
 * The machine's status (user mode, IE = 0) and trap-to-host mask are the
 * same for every VM and stay.  The machine's tick counter is the host's
 * clock and is never set back: each VM's offsets are recomputed instead.
 *
 * The TLB is kept.  Every shadow context runs under a machine TLB tag of
 * its own, SH_TAG(vm, c), in a range per VM (vmm_priv.h), so an entry is
 * found only by the context that cached it: no VM can hit another's, and
 * the incoming VM finds its own entries again instead of walking its
 * shadows for its whole working set (tests/bench/host_ws.c measures it,
 * vm/vmm/README.md).  What keeps them right is shadow.c's own rule for
 * one VM: a VM's shadows change only while it is on the machine (the
 * monitor and snapshots put it on first, host_select), and a dropped leaf
 * marks its context stale until that VM's guest flushes, its slot is
 * reused, or the whole TLB goes.  A VM's slice never moves, so an entry
 * left from its last turn still maps its own memory.  The fast TLBs are
 * per tag too (FAST_SETS of them, vm/hw/README.md): a tag whose set was
 * taken by another refills from its architectural entries.
 */
#include "vmm_priv.h"

static void bp_remove(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nbp; i++)
		hw_break_del(vm->m, vm->bp[i]);
	if (vm->nwp)
		hw_watch_clear(vm->m);
}

static void bp_install(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nbp; i++)
		hw_break_add(vm->m, vm->bp[i]);
	for (unsigned i = 0; i < vm->nwp; i++)
		hw_watch_add(vm->m, vm->area + vm->wp[i], true);
}

static void ws_save(struct vm *vm, bool sched)
{
	struct ws_saved *s = &vm->saved;

	for (unsigned r = 1; r < ISA_NREGS; r++)
		s->r[r] = hw_get_reg(vm->m, r);
	s->pc = hw_get_pc(vm->m);
	s->now = vm_now(vm);
	s->direct = hw_ticks(vm->m) - vm->direct_off;
	if (sched)
		s->host_now = vm->host->now;
	if (unlikely(vm->nbp || vm->nwp))
		bp_remove(vm);
}

static void ws_load(struct vm *vm)
{
	const struct ws_saved *s = &vm->saved;
	uint64_t mt = hw_ticks(vm->m);

	for (unsigned r = 1; r < ISA_NREGS; r++)
		hw_set_reg(vm->m, r, s->r[r]);
	hw_set_pc(vm->m, s->pc);
	vm->tick_off = s->now - mt;
	vm->direct_off = mt - s->direct;
	/* The incoming shadow root under its tag, no flush (above).  Under
	 * nested paging the TLB's entries are tagged with the VM's vmid
	 * (ISA.md 16.4) and ptb is not the machine's to set. */
	if (!vm->nested)
		hw_set_ptb_tagged(vm->m, vm->sh.mptb, vm->sh.mtag);
	vm_install_fast_trap(vm);	/* the machine's trap handler is per VM */
	if (unlikely(vm->nbp || vm->nwp))
		bp_install(vm);
}

void ws_switch(struct host *h, struct vm *to, bool sched)
{
	struct vm *from = h->cur;

	if (from != to) {
		if (from)
			ws_save(from, sched);
		ws_load(to);
		h->cur = to;
	}
	/* The scheduler's switch counts even when a look put 'to' on already. */
	if (!sched)
		return;
	h->st.switches++;
	to->sc.st.switches_in++;
}

void host_select(struct vm *vm)
{
	ws_switch(vm->host, vm, false);
}
