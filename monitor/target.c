/*
 * target.c - the monitor's targets (target.h): what every backend shares
 * (symbols, the guest page-table walk, guest-virtual memory) and the bare
 * machine backend.
 */
#include "target.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

/* --- common ----------------------------------------------------------------- */

void tgt_close(struct target *t)
{
	if (!t)
		return;
	if (t->have_elf)
		pgelf_free(&t->elf);
	t->ops->free(t);
	free(t);
}

int tgt_open(const struct tgt_config *cfg, bool bare, const char *image, struct target **out,
	     char *err, size_t errsize)
{
	return bare ? tgt_open_bare(cfg, image, out, err, errsize)
		    : tgt_open_vmm(cfg, image, out, err, errsize);
}

void tgt_read_symbols(struct target *t, const char *image)
{
	char err[256];

	if (t->have_elf)
		pgelf_free(&t->elf);
	t->have_elf = pgelf_read_file(image, &t->elf, err, sizeof err) == 0;
	t->image = image;
}

bool tgt_symbolize(const struct target *t, uint32_t addr, char *buf, size_t size)
{
	const struct pgelf_symbol *s;
	uint32_t off;

	if (!t->have_elf || !(s = pgelf_symbolize(&t->elf, addr, &off)))
		return false;
	if (off)
		snprintf(buf, size, "%s+0x%x", s->name, off);
	else
		snprintf(buf, size, "%s", s->name);
	return true;
}

bool tgt_lookup(const struct target *t, const char *name, uint32_t *value)
{
	const struct pgelf_symbol *s;

	if (!t->have_elf || !(s = pgelf_lookup(&t->elf, name)))
		return false;
	*value = s->value;
	return true;
}

const char *tgt_symbolizer(void *ctx, uint32_t addr, uint32_t *off)
{
	const struct target *t = ctx;
	const struct pgelf_symbol *s;

	if (!t->have_elf || !(s = pgelf_symbolize(&t->elf, addr, off)))
		return NULL;
	return s->name;
}

static bool rd32(const struct target *t, uint32_t pa, uint32_t *v)
{
	return t->ops->phys_read(t, pa, v, 4) == 0;
}

/*
 * The walk of ISA.md 9.4, minus permissions and A/D:
 *
 *   ptb.root + 4*dir  -> PDE (V?)  ->  PPN(PDE) + 4*table -> PTE (V?)
 *   pa = PPN(PTE) | offset
 */
void tgt_walk(const struct target *t, uint32_t va, struct tgt_walk *w)
{
	uint32_t ptb = t->ops->get_cr(t, ISA_CR_PTB);

	memset(w, 0, sizeof *w);
	w->paging = ptb & ISA_PTB_PG;
	w->root = ISA_PTB_ROOT(ptb);
	if (!w->paging) {
		w->pa = va;
		if (va >= t->ops->mem_size(t))
			w->fault = "outside RAM (paging off)";
		return;
	}
	w->pde_addr = w->root + 4 * ISA_VA_DIR(va);
	if (!rd32(t, w->pde_addr, &w->pde)) {
		w->fault = "directory outside RAM";
		return;
	}
	if (!(w->pde & ISA_PTE_V)) {
		w->fault = "PDE not valid";
		return;
	}
	w->pte_addr = ISA_PTE_PPN(w->pde) + 4 * ISA_VA_TBL(va);
	if (!rd32(t, w->pte_addr, &w->pte)) {
		w->fault = "page table outside RAM";
		return;
	}
	if (!(w->pte & ISA_PTE_V)) {
		w->fault = "PTE not valid";
		return;
	}
	w->pa = ISA_PTE_PPN(w->pte) | (va & (ISA_PAGE_SIZE - 1));
	if (w->pa >= t->ops->mem_size(t))
		w->fault = "page outside RAM";
}

/* Copy byte by byte across pages: each page is translated on its own. */
static int virt_copy(const struct target *t, uint32_t va, uint8_t *rbuf, const uint8_t *wbuf,
		     size_t len, const char **why)
{
	while (len) {
		struct tgt_walk w;
		uint32_t room = ISA_PAGE_SIZE - (va & (ISA_PAGE_SIZE - 1));
		size_t n = len < room ? len : room;

		tgt_walk(t, va, &w);
		if (w.fault) {
			*why = w.fault;
			return -1;
		}
		if (rbuf ? t->ops->phys_read(t, w.pa, rbuf, n)
			 : t->ops->phys_write((struct target *)t, w.pa, wbuf, n)) {
			*why = "outside RAM";
			return -1;
		}
		if (rbuf)
			rbuf += n;
		else
			wbuf += n;
		va += (uint32_t)n;
		len -= n;
	}
	return 0;
}

int tgt_virt_read(const struct target *t, uint32_t va, void *buf, size_t len, const char **why)
{
	return virt_copy(t, va, buf, NULL, len, why);
}

int tgt_virt_write(struct target *t, uint32_t va, const void *buf, size_t len, const char **why)
{
	return virt_copy(t, va, NULL, buf, len, why);
}

void tgt_guest_mappings(const struct target *t, vmm_map_fn *fn, void *ctx)
{
	uint32_t ptb = t->ops->get_cr(t, ISA_CR_PTB), root = ISA_PTB_ROOT(ptb);
	uint32_t *dir, *tbl;

	if (!(ptb & ISA_PTB_PG))
		return;
	dir = malloc(ISA_PAGE_SIZE);
	tbl = malloc(ISA_PAGE_SIZE);
	if (dir && tbl && t->ops->phys_read(t, root, dir, ISA_PAGE_SIZE) == 0) {
		for (uint32_t i = 0; i < 1024; i++) {
			uint32_t tpa = ISA_PTE_PPN(dir[i]);

			if (!(dir[i] & ISA_PTE_V) || t->ops->phys_read(t, tpa, tbl, ISA_PAGE_SIZE))
				continue;
			for (uint32_t j = 0; j < 1024; j++) {
				struct vmm_mapping mp = {
					.va = i << 22 | j << 12, .dir = root, .pde = dir[i],
					.table = tpa, .pte = tbl[j], .pa = ISA_PTE_PPN(tbl[j]) };

				if (tbl[j] & ISA_PTE_V)
					fn(ctx, &mp);
			}
		}
	}
	free(dir);
	free(tbl);
}

/* --- the bare machine --------------------------------------------------------- */

struct bare {
	struct machine *m;
	uint32_t catch;		/* causes to stop after */
	uint64_t caught[ISA_NCAUSE];	/* traps that went through the host */
};

#define BARE(t)	((struct bare *)(t)->impl)
#define M(t)	(BARE(t)->m)

static void bare_free(struct target *t)
{
	hw_free(M(t));
	free(BARE(t));
}

static int bare_load(struct target *t, const char *path, char *err, size_t errsize)
{
	if (hw_load_elf(M(t), path, err, errsize))
		return -1;
	memset(BARE(t)->caught, 0, sizeof BARE(t)->caught);
	tgt_read_symbols(t, path);
	return 0;
}

static void copy_trap(struct tgt_stop_info *si, const struct hw_exit *ex, bool kernel)
{
	si->trap.cause = ex->u.trap.cause;
	si->trap.pc = ex->pc;
	si->trap.badva = ex->u.trap.badva;
	si->trap.insn = ex->u.trap.insn;
	si->trap.kernel = kernel;
	si->trap.handler = NULL;
}

/*
 * A caught trap: the machine exits before entering it (trap_to_host), so
 * enter it with one step with the catch off; the guest then stands at tvec
 * with epc, cause and badva set, as it would without the monitor.
 */
static enum tgt_stop bare_run(struct target *t, bool step, struct tgt_stop_info *si)
{
	struct bare *b = BARE(t);
	struct hw_exit ex;
	enum hw_exit_reason r;
	bool kernel = hw_get_cr(b->m, ISA_CR_STATUS) & ISA_ST_KM;

	memset(si, 0, sizeof *si);
	hw_set_trap_to_host(b->m, b->catch);
	r = step ? hw_step(b->m, &ex) : hw_run(b->m, &ex);
	if (r == HW_EXIT_TRAP) {
		kernel = hw_get_cr(b->m, ISA_CR_STATUS) & ISA_ST_KM;
		copy_trap(si, &ex, kernel);
		b->caught[ex.u.trap.cause]++;
		hw_set_trap_to_host(b->m, 0);
		r = hw_step(b->m, &ex);
		hw_set_trap_to_host(b->m, b->catch);
		si->pc = ex.pc;
		if (r == HW_EXIT_STEP) {
			si->reason = TGT_TRAP;
			return si->reason;
		}
	}
	si->pc = ex.pc;
	switch (r) {
	case HW_EXIT_POWEROFF: si->reason = TGT_POWEROFF; si->code = ex.u.power.code; break;
	case HW_EXIT_BUDGET: si->reason = TGT_BUDGET; break;
	case HW_EXIT_BREAKPOINT: si->reason = TGT_BREAK; break;
	case HW_EXIT_WATCHPOINT:
		si->reason = TGT_WATCH;
		si->watch.addr = ex.u.watch.addr;
		si->watch.physical = ex.u.watch.physical;
		si->watch.old = ex.u.watch.old;
		si->watch.new_ = ex.u.watch.new_;
		break;
	case HW_EXIT_STEP: si->reason = TGT_STEP; break;
	case HW_EXIT_DOUBLE_FAULT:
		si->reason = TGT_DOUBLE_FAULT;
		copy_trap(si, &ex, true);
		si->message = "the trap handler's first instruction faulted";
		break;
	case HW_EXIT_DEADLOCK:
		si->reason = TGT_DEADLOCK;
		si->message = "wfi with nothing that can wake it";
		break;
	default:
		si->reason = TGT_FAILURE;
		si->message = "unexpected exit from the machine";
	}
	(void)kernel;
	return si->reason;
}

static void bare_set_budget(struct target *t, uint64_t ticks)
{
	hw_set_budget(M(t), ticks);
}

static void bare_stop_on(struct target *t, uint32_t causes, bool all)
{
	BARE(t)->catch = all ? (1u << ISA_NCAUSE) - 1 : causes;
}

static int bare_break_add(struct target *t, uint32_t va) { return hw_break_add(M(t), va); }
static int bare_break_del(struct target *t, uint32_t va) { return hw_break_del(M(t), va); }
static void bare_break_pass(struct target *t) { hw_break_pass(M(t)); }

static int bare_watch_add(struct target *t, uint32_t addr, bool physical, const char **why)
{
	*why = "too many watchpoints";
	return hw_watch_add(M(t), addr, physical);
}

static void bare_watch_clear(struct target *t) { hw_watch_clear(M(t)); }

static uint32_t bare_get_reg(const struct target *t, unsigned r) { return hw_get_reg(M(t), r); }
static void bare_set_reg(struct target *t, unsigned r, uint32_t v) { hw_set_reg(M(t), r, v); }
static uint32_t bare_get_pc(const struct target *t) { return hw_get_pc(M(t)); }
static void bare_set_pc(struct target *t, uint32_t pc) { hw_set_pc(M(t), pc); }
static uint32_t bare_get_cr(const struct target *t, unsigned cr) { return hw_get_cr(M(t), cr); }
static void bare_set_cr(struct target *t, unsigned cr, uint32_t v) { hw_set_cr(M(t), cr, v); }

static bool bare_kernel(const struct target *t)
{
	return hw_get_cr(M(t), ISA_CR_STATUS) & ISA_ST_KM;
}

static uint64_t bare_ticks(const struct target *t) { return hw_ticks(M(t)); }
static uint64_t bare_cons_out(const struct target *t, int *last) { return hw_cons_out(M(t), last); }
static uint32_t bare_mem_size(const struct target *t) { return hw_mem_size(M(t)); }

static int bare_phys_read(const struct target *t, uint32_t pa, void *buf, size_t len)
{
	return hw_phys_read(M(t), pa, buf, len);
}

static int bare_phys_write(struct target *t, uint32_t pa, const void *buf, size_t len)
{
	return hw_phys_write(M(t), pa, buf, len);
}

static struct machine *bare_host(struct target *t) { return M(t); }

static int bare_save(struct target *t, const char *path, char *err, size_t errsize)
{
	return hw_save(M(t), path, err, errsize);
}


static int bare_checkpoint(struct target *t, struct snap_buf *b, char *err, size_t errsize)
{
	return hw_state_save(M(t), b, err, errsize);
}

static int bare_restore(struct target *t, const struct tgt_config *cfg, const char *path,
			const uint8_t *state, size_t len, char *err, size_t errsize)
{
	struct hw_config hc = { .mem_mib = hw_mem_size(M(t)) >> 20, .cons_out = cfg->cons_out,
				.cons_in_fd = cfg->cons_in_fd, .disk_path = cfg->disk,
				.isa = cfg->isa };
	struct machine *m;

	if (path ? hw_restore(&hc, path, &m, err, errsize)
		 : hw_restore_state(&hc, "checkpoint", state, len, &m, err, errsize))
		return -1;
	hw_free(M(t));
	BARE(t)->m = m;
	if (path)
		memset(BARE(t)->caught, 0, sizeof BARE(t)->caught);
	return 0;
}

static void bare_set_cons_out(struct target *t, FILE *f)
{
	hw_console(M(t))->out = f;
}

static void bare_set_tracer(struct target *t, const struct tracer *tr)
{
	hw_set_tracer(M(t), tr);
}

/* hw_print_stats, less the traps the monitor caught: the machine counts
 * those twice (exit to the host, then the entry the monitor made). */
static void bare_print_stats(struct target *t, FILE *f)
{
	struct hw_stats s;

	hw_get_stats(M(t), &s);
	for (unsigned c = 0; c < ISA_NCAUSE; c++)
		s.traps[c] -= BARE(t)->caught[c];
	hw_stats_print(&s, hw_ticks(M(t)), f);
}

static const struct target_ops bare_ops = {
	.name = "bare",
	.free = bare_free,
	.load = bare_load,
	.run = bare_run,
	.set_budget = bare_set_budget,
	.stop_on = bare_stop_on,
	.break_add = bare_break_add,
	.break_del = bare_break_del,
	.break_pass = bare_break_pass,
	.watch_add = bare_watch_add,
	.watch_clear = bare_watch_clear,
	.get_reg = bare_get_reg,
	.set_reg = bare_set_reg,
	.get_pc = bare_get_pc,
	.set_pc = bare_set_pc,
	.get_cr = bare_get_cr,
	.set_cr = bare_set_cr,
	.kernel = bare_kernel,
	.ticks = bare_ticks,
	.clock = bare_ticks,
	.cons_out = bare_cons_out,
	.mem_size = bare_mem_size,
	.phys_read = bare_phys_read,
	.phys_write = bare_phys_write,
	.host = bare_host,
	.set_tracer = bare_set_tracer,
	.print_stats = bare_print_stats,
	.save = bare_save,
	.restore = bare_restore,
	.checkpoint = bare_checkpoint,
	.set_cons_out = bare_set_cons_out,
	.vm = NULL,
};

int tgt_open_bare(const struct tgt_config *cfg, const char *image, struct target **out,
		  char *err, size_t errsize)
{
	struct hw_config hc = { .mem_mib = cfg->mem_mib, .cons_out = cfg->cons_out,
				.cons_in_fd = cfg->cons_in_fd, .disk_path = cfg->disk,
				.isa = cfg->isa };
	struct target *t = calloc(1, sizeof *t);
	struct bare *b = calloc(1, sizeof *b);

	*out = NULL;
	if (!t || !b) {
		free(t);
		free(b);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (hw_new(&hc, &b->m, err, errsize)) {
		free(t);
		free(b);
		return -1;
	}
	t->ops = &bare_ops;
	t->impl = b;
	if (bare_load(t, image, err, errsize)) {
		tgt_close(t);
		return -1;
	}
	*out = t;
	return 0;
}
