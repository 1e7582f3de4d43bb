/*
 * target_vmm.c - the monitor's VMM backend (target.h): a guest under the
 * trap-and-emulate VMM, seen through vmm.h only.  Registers, control
 * registers and memory are the guest's view (virtual mode, virtual CRs,
 * guest-physical RAM); ops->host is the machine really running it.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "target_vmm.h"

static void vt_free(struct target *t)
{
	if (VT(t)->h)
		host_free(VT(t)->h);
	else
		vmm_free(VM(t));
	free(VT(t));
}

static int vt_load(struct target *t, const char *path, char *err, size_t errsize)
{
	if (VT(t)->h)
		return th_load(t, err, errsize);
	if (vmm_load_elf(VM(t), path, err, errsize))
		return -1;
	tgt_read_symbols(t, path);
	return 0;
}

static enum tgt_stop vt_run(struct target *t, bool step, struct tgt_stop_info *si)
{
	struct vmm_exit ex;
	enum vmm_exit_reason r;

	if (VT(t)->h)
		return th_run(t, step, si);
	r = step ? vmm_step(VM(t), &ex) : vmm_run(VM(t), &ex);
	return vt_stop_info(r, &ex, si);
}

enum tgt_stop vt_stop_info(enum vmm_exit_reason r, const struct vmm_exit *exp,
			   struct tgt_stop_info *si)
{
	struct vmm_exit ex = *exp;

	memset(si, 0, sizeof *si);
	si->pc = ex.pc;
	si->message = ex.message;
	si->trap.cause = ex.trap.cause;
	si->trap.pc = ex.trap.pc;
	si->trap.badva = ex.trap.badva;
	si->trap.insn = ex.trap.insn;
	si->trap.kernel = ex.trap.kernel;
	si->trap.handler = ex.trap.handler;
	switch (r) {
	case VMM_EXIT_POWEROFF: si->reason = TGT_POWEROFF; si->code = ex.code; break;
	case VMM_EXIT_BUDGET: si->reason = TGT_BUDGET; break;
	case VMM_EXIT_BREAKPOINT: si->reason = TGT_BREAK; break;
	case VMM_EXIT_WATCHPOINT:
		si->reason = TGT_WATCH;
		si->watch.addr = ex.watch.gpa;
		si->watch.physical = true;
		si->watch.old = ex.watch.old;
		si->watch.new_ = ex.watch.new_;
		break;
	case VMM_EXIT_STEP: si->reason = TGT_STEP; break;
	case VMM_EXIT_TRAP: si->reason = TGT_TRAP; break;
	case VMM_EXIT_DOUBLE_FAULT: si->reason = TGT_DOUBLE_FAULT; break;
	case VMM_EXIT_DEADLOCK: si->reason = TGT_DEADLOCK; break;
	default:
		si->reason = TGT_FAILURE;
		if (!si->message)
			si->message = "the VMM cannot go on";
	}
	return si->reason;
}

static void vt_set_budget(struct target *t, uint64_t ticks)
{
	if (VT(t)->h)
		VT(t)->budget = ticks;
	else
		vmm_set_budget(VM(t), ticks);
}

static void vt_stop_on(struct target *t, uint32_t causes, bool all)
{
	vmm_stop_on(VM(t), causes, all);
}

static int vt_break_add(struct target *t, uint32_t va) { return vmm_break_add(VM(t), va); }
static int vt_break_del(struct target *t, uint32_t va) { return vmm_break_del(VM(t), va); }
static void vt_break_pass(struct target *t) { vmm_break_pass(VM(t)); }

static int vt_watch_add(struct target *t, uint32_t addr, bool physical, const char **why)
{
	if (!physical) {
		*why = "the VMM watches guest-physical words only";
		return -1;
	}
	*why = "too many watchpoints";
	return vmm_watch_add(VM(t), addr);
}

static void vt_watch_clear(struct target *t) { vmm_watch_clear(VM(t)); }
static uint32_t vt_get_reg(const struct target *t, unsigned r) { return vmm_get_reg(VM(t), r); }
static void vt_set_reg(struct target *t, unsigned r, uint32_t v) { vmm_set_reg(VM(t), r, v); }
static uint32_t vt_get_pc(const struct target *t) { return vmm_get_pc(VM(t)); }
static void vt_set_pc(struct target *t, uint32_t pc) { vmm_set_pc(VM(t), pc); }
static uint32_t vt_get_cr(const struct target *t, unsigned cr) { return vmm_get_cr(VM(t), cr); }
static void vt_set_cr(struct target *t, unsigned cr, uint32_t v) { vmm_set_cr(VM(t), cr, v); }
static bool vt_kernel(const struct target *t) { return vmm_guest_kernel(VM(t)); }
static uint64_t vt_ticks(const struct target *t) { return vmm_ticks(VM(t)); }
static uint64_t vt_cons_out(const struct target *t, int *last) { return vmm_cons_out(VM(t), last); }
static uint32_t vt_mem_size(const struct target *t) { return vmm_guest_mem_size(VM(t)); }

static int vt_phys_read(const struct target *t, uint32_t pa, void *buf, size_t len)
{
	return vmm_guest_read(VM(t), pa, buf, len);
}

static int vt_phys_write(struct target *t, uint32_t pa, const void *buf, size_t len)
{
	return vmm_guest_write(VM(t), pa, buf, len);
}

static struct machine *vt_host(struct target *t) { return vmm_machine(VM(t)); }
static struct vm *vt_vm(struct target *t) { return VM(t); }

/* The VMM does not trace instructions; the machine does, in its physical
 * mode and ticks: relay them with the guest's. */
static void relay_insn(void *ctx, const struct trace_event *ev)
{
	struct vmmt *v = ctx;
	struct trace_event e = *ev;

	e.kernel = e.kernel_after = vmm_guest_kernel(v->vm);
	e.tick = vmm_ticks(v->vm);
	if (v->sink && v->sink->fn && (v->sink->mask & TRACE_INSN))
		v->sink->fn(v->sink->ctx, &e);
}

/* The VMM keeps the pointer it was created with, so mask changes reach it
 * by themselves; only the machine's instruction events need installing. */
static void vt_set_tracer(struct target *t, const struct tracer *tr)
{
	VT(t)->sink = tr;
	vt_install_insn(t);
}

void vt_install_insn(struct target *t)
{
	struct vmmt *v = VT(t);
	const struct tracer *tr = v->sink;

	v->insn = (struct tracer){ .mask = tr ? tr->mask & TRACE_INSN : 0, .fn = relay_insn,
				   .ctx = v };
	hw_set_tracer(vmm_machine(v->vm), v->insn.mask ? &v->insn : NULL);
}

static void vt_print_stats(struct target *t, FILE *f)
{
	if (VT(t)->h)
		th_print_stats(t, f);
	else
		vmm_print_stats(VM(t), f);
}

static int vt_checkpoint(struct target *t, struct snap_buf *b, char *err, size_t errsize)
{
	if (VT(t)->h) {
		snprintf(err, errsize, "reverse execution is for one VM, not --vm");
		return -1;
	}
	return vmm_state_save(VM(t), b, err, errsize);
}

static int vt_restore(struct target *t, const struct tgt_config *cfg, const char *path,
		      const uint8_t *state, size_t len, char *err, size_t errsize)
{
	struct vmm_config vc = { .mem_mib = vmm_guest_mem_size(VM(t)) >> 20,
				 .cons_out = cfg->cons_out, .cons_in_fd = cfg->cons_in_fd,
				 .disk_path = cfg->disk, .shadow = cfg->shadow,
				 .trace = VT(t)->sink, .isa = cfg->isa, .nested = cfg->nested,
				 .bt = cfg->bt };
	struct vm *vm;

	if (VT(t)->h)
		return th_restore(t, path, err, errsize);
	if (path ? vmm_restore(&vc, path, &vm, err, errsize)
		 : vmm_restore_state(&vc, "checkpoint", state, len, &vm, err, errsize))
		return -1;
	vmm_free(VM(t));
	VT(t)->vm = vm;
	return 0;
}

static void vt_set_cons_out(struct target *t, FILE *f)
{
	vmm_console(VM(t))->out = f;
}

static int vt_save(struct target *t, const char *path, char *err, size_t errsize)
{
	if (VT(t)->h)
		return th_save(t, path, err, errsize);
	return vmm_save(VM(t), path, err, errsize);
}

static struct host *vt_host_of(const struct target *t) { return VT(t)->h; }
static unsigned vt_current(const struct target *t) { return VT(t)->cur; }

static void vt_select(struct target *t, unsigned i)
{
	if (VT(t)->h)
		th_select(t, i);
}

static uint64_t vt_clock(const struct target *t)
{
	return VT(t)->h ? host_clock(VT(t)->h) : vmm_ticks(VM(t));
}


static const struct target_ops vmm_ops = {
	.name = "vmm",
	.free = vt_free,
	.load = vt_load,
	.run = vt_run,
	.set_budget = vt_set_budget,
	.save = vt_save,
	.restore = vt_restore,
	.checkpoint = vt_checkpoint,
	.set_cons_out = vt_set_cons_out,
	.stop_on = vt_stop_on,
	.break_add = vt_break_add,
	.break_del = vt_break_del,
	.break_pass = vt_break_pass,
	.watch_add = vt_watch_add,
	.watch_clear = vt_watch_clear,
	.get_reg = vt_get_reg,
	.set_reg = vt_set_reg,
	.get_pc = vt_get_pc,
	.set_pc = vt_set_pc,
	.get_cr = vt_get_cr,
	.set_cr = vt_set_cr,
	.kernel = vt_kernel,
	.ticks = vt_ticks,
	.cons_out = vt_cons_out,
	.mem_size = vt_mem_size,
	.phys_read = vt_phys_read,
	.phys_write = vt_phys_write,
	.host = vt_host,
	.set_tracer = vt_set_tracer,
	.print_stats = vt_print_stats,
	.vm = vt_vm,
	.host_of = vt_host_of,
	.select = vt_select,
	.current = vt_current,
	.clock = vt_clock,
};

struct target *vt_alloc(char *err, size_t errsize)
{
	struct target *t = calloc(1, sizeof *t);
	struct vmmt *v = calloc(1, sizeof *v);

	if (!t || !v) {
		free(t);
		free(v);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	t->ops = &vmm_ops;
	t->impl = v;
	v->budget = HW_NO_BUDGET;
	return t;
}

void vt_discard(struct target *t)
{
	free(t->impl);
	free(t);
}

int tgt_open_vmm(const struct tgt_config *cfg, const char *image, struct target **out,
		 char *err, size_t errsize)
{
	struct vmm_config vc = { .mem_mib = cfg->mem_mib, .cons_out = cfg->cons_out,
				 .cons_in_fd = cfg->cons_in_fd, .disk_path = cfg->disk,
				 .shadow = cfg->shadow, .trace = cfg->trace, .pv = cfg->pv,
				 .isa = cfg->isa, .nested = cfg->nested, .bt = cfg->bt };
	struct target *t = vt_alloc(err, errsize);

	*out = NULL;
	if (!t)
		return -1;
	if (vmm_new(&vc, &VT(t)->vm, err, errsize)) {
		vt_discard(t);
		return -1;
	}
	VT(t)->sink = cfg->trace;
	if (vt_load(t, image, err, errsize)) {
		tgt_close(t);
		return -1;
	}
	*out = t;
	return 0;
}
