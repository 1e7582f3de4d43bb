/*
 * btrun.c - running a guest by binary translation (`vmlab run --bt`): the
 * glue between the dispatcher (vm.c), the translator (bt.c), the
 * translation cache (btcache.c) and the shadows (shadow.c).
 *
 * Guest user code runs directly, as under trap-and-emulate.  Guest kernel
 * code runs from the translation cache, in physical user mode like the
 * rest of the guest: the translations live in VMM memory (BT_TC_MIB below
 * the guest's slice) and are mapped, execute-only, at the guest-virtual
 * window BT_TC_VA of the kernel's shadows.
 *
 *   machine-physical                      guest-virtual (kernel shadows)
 *   0            shadow pool
 *   area - 1 MiB translations  <------- BT_TC_VA .. + 1 MiB - 4 KiB  (X, U)
 *   area - 4 KiB VCPU page     <------- BT_VCPU_VA: the last page (R, W, U)
 *   area         guest RAM     <------- wherever the guest maps it
 *
 * The VCPU page holds the control registers that inline translations read
 * (every one but ipend and icount) and write (scratch, cause, badva): it is
 * written from the VCPU before the machine runs translated code, and those
 * three are read back after.
 *
 * The machine's pc is a translation address only while hw_run runs: the
 * dispatcher calls btrun_enter just before (guest pc -> its translation,
 * translating on a miss) and btrun_leave just after (back to the guest pc;
 * callouts handled), so everything else in the VMM, the monitor and the
 * guest (epc, badva, links) sees guest addresses only.
 *
 * Coherence: the guest-physical pages translated from are write-protected
 * in every shadow (shadow_fault asks btrun_protects); a guest store to one
 * (a hidden fault that the guest's walk allows), a DMA or a host write
 * into one throws the whole cache away (bt_cache_written).  A chained jump
 * never leaves its guest page, so a change of the guest's mappings is
 * seen at the next entry from the VMM, where the block found must come
 * from the guest-physical address the guest's walk gives now.
 */
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "vmm_priv.h"

struct btrun {
	struct bt_cache c;
	uint32_t tc_mpa;	/* machine-physical address of BT_TC_VA */
	struct btrun_stats st;
	/* The block the machine left last, to re-enter it mid-body (after
	 * a hidden fault, an event) without a new translation. */
	int last;		/* block index, -1: none */
	uint64_t last_gen;	/* c.st.flushes when it was recorded */
	/* An exit taken through the VMM that may be chained once the block
	 * it leads to is known. */
	int chain_block;	/* -1: none */
	unsigned chain_callout;
	uint64_t chain_gen;
};

bool btrun_in_window(uint32_t va)
{
	return va - BT_TC_VA < (BT_TC_MIB << 20);
}

int btrun_init(struct vm *vm, uint32_t tc_mpa, bool inline_cr, char *err, size_t errsize)
{
	struct btrun *bt = calloc(1, sizeof *bt);

	if (!bt || bt_cache_init(&bt->c, BT_TC_VA, (BT_TC_MIB << 20) - ISA_PAGE_SIZE)) {
		free(bt);
		snprintf(err, errsize, "out of memory for the translation cache");
		return -1;
	}
	bt->tc_mpa = tc_mpa;
	bt->c.flags = inline_cr ? BT_INLINE : 0;
	vm->bt = bt;
	btrun_reset(vm);
	return 0;
}

void btrun_free(struct vm *vm)
{
	if (!vm->bt)
		return;
	bt_cache_free(&vm->bt->c);
	free(vm->bt);
	vm->bt = NULL;
}

static void forget(struct btrun *bt)
{
	bt->last = -1;
	bt->chain_block = -1;
}

void btrun_reset(struct vm *vm)
{
	struct btrun *bt = vm->bt;

	bt_cache_flush(&bt->c);
	bt->c.st = (struct bt_stats){ 0 };
	bt->st = (struct btrun_stats){ 0 };
	forget(bt);
}

void btrun_flush(struct vm *vm)
{
	bt_cache_flush(&vm->bt->c);
	forget(vm->bt);
}

bool btrun_protects(const struct vm *vm, uint32_t gpa)
{
	return bt_cache_holds_page(&vm->bt->c, gpa);
}

static uint32_t vcpu_mpa(const struct vm *vm)
{
	return vm->bt->tc_mpa + (BT_TC_MIB << 20) - ISA_PAGE_SIZE;
}

bool btrun_tc_leaf(const struct vm *vm, uint32_t pte)
{
	uint32_t f = ISA_PTE_PPN(pte) - vm->bt->tc_mpa;

	if (ISA_PTE_PPN(pte) == vcpu_mpa(vm))
		return (pte & 0x7f) == (ISA_PTE_V | ISA_PTE_R | ISA_PTE_W | ISA_PTE_U | ISA_PTE_A
					| ISA_PTE_D);
	return f < (BT_TC_MIB << 20) - ISA_PAGE_SIZE
	       && (pte & 0x7f) == (ISA_PTE_V | ISA_PTE_X | ISA_PTE_U | ISA_PTE_A);
}

/* The VCPU page from the VCPU, before translated code runs. */
static void vcpu_out(struct vm *vm)
{
	memcpy(hw_mem(vm->m) + vcpu_mpa(vm), vm->vc.cr, sizeof vm->vc.cr);
}

/* Back into the VCPU, what inline code may have written. */
static void vcpu_in(struct vm *vm)
{
	static const unsigned written[] = { ISA_CR_SCRATCH, ISA_CR_CAUSE, ISA_CR_BADVA };
	const uint8_t *p = hw_mem(vm->m) + vcpu_mpa(vm);

	for (unsigned i = 0; i < 3; i++)
		memcpy(&vm->vc.cr[written[i]], p + 4 * written[i], 4);
}

void btrun_written(struct vm *vm, uint32_t gpa, uint32_t len)
{
	uint64_t end = (uint64_t)gpa + len;

	for (uint64_t a = gpa & ~(uint64_t)(ISA_PAGE_SIZE - 1); a < end; a += ISA_PAGE_SIZE)
		if (bt_cache_written(&vm->bt->c, (uint32_t)a)) {
			forget(vm->bt);
			return;
		}
}

bool btrun_store(struct vm *vm, uint32_t gpa)
{
	if (!bt_cache_written(&vm->bt->c, gpa))
		return false;
	forget(vm->bt);
	return true;
}

/* --- translating ------------------------------------------------------------ */

static void put_words(struct vm *vm, const struct bt_block *b, unsigned from, unsigned n)
{
	uint32_t mpa = vm->bt->tc_mpa + (b->tc_pc - BT_TC_VA) + 4 * from;

	hw_phys_write(vm->m, mpa, &b->words[from], 4 * n);
}

/* Guest words from pc to where the block must stop: the page's end, or
 * the first breakpoint after pc (the dispatcher checks breakpoints at its
 * boundary only, so a block never runs across one). */
static unsigned block_words(const struct vm *vm, uint32_t pc)
{
	unsigned n = (ISA_PAGE_SIZE - (pc & (ISA_PAGE_SIZE - 1))) / 4;

	if (n > BT_MAX_INSNS)
		n = BT_MAX_INSNS;
	for (unsigned i = 0; i < vm->nbp; i++)
		if (vm->bp[i] > pc && (vm->bp[i] - pc) / 4 < n)
			n = (vm->bp[i] - pc + 3) / 4;
	return n;
}

static struct bt_block *translate(struct vm *vm, uint32_t pc, uint32_t gpa)
{
	struct btrun *bt = vm->bt;
	uint32_t code[BT_MAX_INSNS];
	unsigned n = block_words(vm, pc);
	bool held = bt_cache_holds_page(&bt->c, gpa);
	uint64_t gen = bt->c.st.flushes;
	struct bt_block *b;

	memcpy(code, vm->gram + gpa, 4 * n);
	b = bt_cache_add(&bt->c, code, n, pc, gpa);
	if (bt->c.st.flushes != gen) {
		forget(bt);
		held = false;
	}
	put_words(vm, b, 0, b->nwords);
	if (vm_tracing(vm, TRACE_EXIT))
		vm_trace(vm, TRACE_EXIT, pc, true, true, "translate",
			 "gpa=0x%08x tc=0x%08x insns=%u words=%u", gpa, b->tc_pc, b->ninsns,
			 b->nwords);
	/* A new code page: no shadow may keep a writable leaf onto it. */
	if (!held)
		shadow_start_over(vm);
	return b;
}

/* Chain the exit the machine took last to block b, if it leads there and
 * the jump stays inside its guest page (so inside mappings the VMM has
 * checked) and does not run past a breakpoint. */
static void chain(struct vm *vm, struct bt_block *to)
{
	struct btrun *bt = vm->bt;
	struct bt_block *from;
	const struct bt_callout *c;
	int k;

	if (bt->chain_block < 0)
		return;
	from = &bt->c.blocks[bt->chain_block];
	c = &from->callouts[bt->chain_callout];
	bt->chain_block = -1;
	if (bt->chain_gen != bt->c.st.flushes)
		return;		/* the cache was flushed since */
	if (c->target != to->guest_pc || (c->guest_pc ^ to->guest_pc) >> ISA_PAGE_SHIFT
	    || bt->c.block_gpa[from - bt->c.blocks] >> ISA_PAGE_SHIFT
	       != bt->c.block_gpa[to - bt->c.blocks] >> ISA_PAGE_SHIFT)
		return;
	for (unsigned i = 0; i < vm->nbp; i++)
		if (vm->bp[i] == to->guest_pc)
			return;
	k = bt_chain(from, bt->chain_callout, to->tc_pc);
	if (k < 0)
		return;
	put_words(vm, from, (unsigned)k, 1);
	bt->st.chains++;
}

bool btrun_enter(struct vm *vm)
{
	struct btrun *bt = vm->bt;
	uint32_t pc = hw_get_pc(vm->m), gpa;
	struct bt_block *b = NULL;
	unsigned cause;

	if (!vcpu_kernel(&vm->vc)) {
		bt->chain_block = -1;
		return true;
	}
	if (bt->c.flags & BT_INLINE)
		vcpu_out(vm);
	/* The guest's fetch, as the hardware's walk would do it (A set). */
	cause = shadow_guest_fetch(vm, pc, &gpa);
	if (cause) {
		vm->st.true_faults++;
		reflect_exception(vm, cause, pc, pc);
		bt->chain_block = -1;
		return false;
	}
	/* Mid-block re-entry, unless an exit waits to be chained: that needs
	 * a block starting at its target. */
	if (bt->last >= 0 && bt->last_gen == bt->c.st.flushes && bt->chain_block < 0) {
		struct bt_block *l = &bt->c.blocks[bt->last];

		if (pc - l->guest_pc < 4 * l->ninsns
		    && bt->c.block_gpa[bt->last] + (pc - l->guest_pc) == gpa) {
			hw_set_pc(vm->m, l->tc_pc + (pc - l->guest_pc));
			return true;
		}
	}
	b = bt_cache_lookup(&bt->c, pc, gpa);
	if (!b)
		b = translate(vm, pc, gpa);
	chain(vm, b);
	hw_set_pc(vm->m, b->tc_pc);
	return true;
}

/* --- callouts --------------------------------------------------------------- */

static void retire(struct vm *vm, unsigned ticks)
{
	while (ticks--)
		vm_tick(vm);
}

/* Callout i of block b, taken: do what the guest instruction it stands for
 * does, in guest addresses.  Returns false if it became the guest's trap
 * in *hx for the dispatcher. */
static bool callout(struct vm *vm, struct bt_block *b, unsigned i, struct hw_exit *hx,
		    bool *retired)
{
	struct btrun *bt = vm->bt;
	const struct bt_callout *c = &b->callouts[i];
	struct isa_insn d = isa_decode(c->word);
	uint32_t t;

	bt->st.callouts++;
	bt->st.by_kind[c->kind]++;
	*retired = c->ticks > 0;
	switch (c->kind) {
	/* LAB7 BEGIN: what the VMM does for each callout (task 3) */
	case BT_EMULATE:
		/* The trap the instruction would raise were it privileged on
		 * this machine: the dispatcher emulates it on the VCPU. */
		hx->pc = c->guest_pc;
		hx->u.trap.insn = c->word;
		hx->u.trap.d = d;
		hx->u.trap.badva = c->word;
		hx->u.trap.cause = d.op < ISA_NOPS && (isa_table[d.op].cls & ISA_C_PRIV)
				   ? ISA_CAUSE_PRIVILEGED : ISA_CAUSE_ILLEGAL;
		hw_set_pc(vm->m, c->guest_pc);
		return false;
	case BT_EXIT:
		hw_set_pc(vm->m, c->target);
		break;
	case BT_CALL:
		hw_set_reg(vm->m, d.rd, c->guest_pc + 4);
		hw_set_pc(vm->m, c->target);
		break;
	case BT_INDIRECT:
		t = hw_get_reg(vm->m, d.rs1) + (uint32_t)d.imm;
		if (t & 3) {		/* as the machine: nothing retires */
			*retired = false;
			reflect_exception(vm, ISA_CAUSE_MISALIGNED, t, c->guest_pc);
			return true;
		}
		hw_set_reg(vm->m, d.rd, c->guest_pc + 4);
		hw_set_pc(vm->m, t);
		break;
	/* LAB7 STUB
	default:
		(void)hx;
		(void)d;
		(void)t;
		vmm_not_implemented(vm, "lab7: callouts (callout, vm/vmm/btrun.c)");
		return true;
	LAB7 END */
	}
	retire(vm, c->ticks);
	if (c->chainable) {
		bt->chain_block = (int)(b - bt->c.blocks);
		bt->chain_callout = i;
		bt->chain_gen = bt->c.st.flushes;
	}
	return true;
}

/* The fetch of a translation page faulted: map it (X and U only); or an
 * access to the VCPU page: map that (R, W and U). */
static void map_tc(struct vm *vm, uint32_t va)
{
	if ((va & ~(ISA_PAGE_SIZE - 1u)) == BT_VCPU_VA)
		shadow_map_tc(vm, va, vcpu_mpa(vm), ISA_PTE_R | ISA_PTE_W | ISA_PTE_D);
	else
		shadow_map_tc(vm, va, vm->bt->tc_mpa + ((va - BT_TC_VA) & ~(ISA_PAGE_SIZE - 1u)),
			      ISA_PTE_X);
	vm->bt->st.tc_maps++;
}

bool btrun_leave(struct vm *vm, struct hw_exit *hx, bool *retired)
{
	struct btrun *bt = vm->bt;
	uint32_t pc = hw_get_pc(vm->m), w;
	struct bt_block *b;

	*retired = false;
	if (!btrun_in_window(pc) || !vcpu_kernel(&vm->vc))
		return false;
	if (bt->c.flags & BT_INLINE)
		vcpu_in(vm);
	if (hx->reason == HW_EXIT_TRAP && ((hx->u.trap.insn == 0 && hx->u.trap.badva == pc)
	    || ((bt->c.flags & BT_INLINE) && hx->u.trap.insn
		&& (hx->u.trap.badva & ~(ISA_PAGE_SIZE - 1u)) == BT_VCPU_VA
		&& hx->u.trap.cause != ISA_CAUSE_ILLEGAL && hx->u.trap.cause != ISA_CAUSE_MISALIGNED))) {
		map_tc(vm, hx->u.trap.badva);	/* the translation, the VCPU page */
		b = bt_cache_find_tc(&bt->c, pc);
		if (b)
			hw_set_pc(vm->m, bt_guest_pc(b, pc));
		else
			vm_halt(vm, VMM_EXIT_FAILURE, "bt: the machine ran outside every translation");
		return true;
	}
	b = bt_cache_find_tc(&bt->c, pc);
	if (!b) {
		vm_halt(vm, VMM_EXIT_FAILURE, "bt: the machine ran outside every translation");
		return true;
	}
	bt->last = (int)(b - bt->c.blocks);
	bt->last_gen = bt->c.st.flushes;
	hx->pc = bt_guest_pc(b, pc);
	hw_set_pc(vm->m, hx->pc);
	if (hx->reason != HW_EXIT_TRAP || hx->u.trap.cause != ISA_CAUSE_ILLEGAL)
		return false;
	w = hx->u.trap.insn;
	if (!BT_IS_CALLOUT(w) || BT_CALLOUT_INDEX(w) >= b->ncallouts
	    || b->tc_pc + 4 * b->callouts[BT_CALLOUT_INDEX(w)].stub != pc)
		return false;	/* the guest's own ILLEGAL, copied */
	return callout(vm, b, BT_CALLOUT_INDEX(w), hx, retired);
}

/* --- inspection ------------------------------------------------------------- */

void vmm_bt_stats(const struct vm *vm, struct btrun_stats *st)
{
	const struct btrun *bt = vm->bt;

	*st = (struct btrun_stats){ 0 };
	if (!bt)
		return;
	*st = bt->st;
	st->blocks = bt->c.st.blocks;
	st->translated_insns = bt->c.st.translated_insns;
	st->hits = bt->c.st.hits;
	st->misses = bt->c.st.misses;
	st->flushes = bt->c.st.flushes;
	st->invalidations = bt->c.st.invalidations;
	st->tc_bytes = bt->c.used;
	st->tc_blocks = bt->c.nblocks;
}

_Static_assert(VMM_TC_MAX_CALLOUTS == BT_MAX_CALLOUTS, "vmm_tc_block holds every callout");
static const char *const kind_name[] = { "emulate", "exit", "call", "indirect" };

int vmm_bt_block(const struct vm *vm, unsigned i, struct vmm_tc_block *out)
{
	const struct btrun *bt = vm->bt;
	const struct bt_block *b;

	if (!bt || i >= bt->c.nblocks)
		return -1;
	b = &bt->c.blocks[i];
	*out = (struct vmm_tc_block){ .guest_pc = b->guest_pc, .gpa = bt->c.block_gpa[i],
				      .tc_pc = b->tc_pc, .ninsns = b->ninsns,
				      .nwords = b->nwords, .words = b->words,
				      .ncallouts = b->ncallouts };
	for (unsigned k = 0; k < b->ncallouts; k++) {
		const struct bt_callout *c = &b->callouts[k];

		out->callout[k].kind = kind_name[c->kind];
		out->callout[k].guest_pc = c->guest_pc;
		out->callout[k].target = c->target;
		out->callout[k].stub = c->stub;
	}
	return 0;
}

void btrun_print_stats(const struct vm *vm, FILE *f)
{
	struct btrun_stats s;

	vmm_bt_stats(vm, &s);
#define P(name, v) fprintf(f, "vmm_bt_" name ": %llu\n", (unsigned long long)(v))
	P("translations", s.blocks);
	P("translated_insns", s.translated_insns);
	P("callouts", s.callouts);
	for (unsigned k = 0; k < 4; k++)
		fprintf(f, "vmm_bt_callouts_%s: %llu\n", kind_name[k],
			(unsigned long long)s.by_kind[k]);
	P("chained_jumps", s.chains);
	P("cache_hits", s.hits);
	P("cache_misses", s.misses);
	P("cache_flushes", s.flushes);
	P("invalidations", s.invalidations);
	P("tc_blocks", s.tc_blocks);
	P("tc_bytes", s.tc_bytes);
	P("tc_page_maps", s.tc_maps);
#undef P
}
