/*
 * vdev.c - the guest's devices: the same console and disk models the bare
 * machine uses (vm/hw/console.c, disk.c), hosted by the VMM instead.
 *
 * The machine under the VM has no devices of its own in use (its console
 * is closed and mute, it has no disk): every in/out the guest executes
 * traps (privileged) and lands here, at the guest's port map (ISA.md
 * 11.1).  The models get
 *
 *   time   the guest's tick count, so latencies are in guest time;
 *   DMA    a window over the guest's slice only: [0, guest memsize) of
 *          guest-physical memory.  A request outside it is the model's
 *          "bad request" (DONE | ERROR), exactly as on a machine with that
 *          much RAM: no access outside the guest can even be expressed;
 *   lines  virq_line, which sets the VCPU's virtual ipend bits.
 */
#include "vmm_priv.h"

static void dma_written(void *ctx, uint32_t gpa, uint32_t len)
{
	/* LAB4 BEGIN: guest memory a disk read wrote (task 5) */
	struct vm *vm = ctx;

	hw_mem_written(vm->m, vm->area + gpa, len);	/* drop predecoded code */
	shadow_guest_written(vm, gpa, len);
	/* LAB4 STUB
	(void)gpa;
	(void)len;
	vmm_not_implemented(ctx, "lab4: DMA into guest memory (dma_written, vm/vmm/vdev.c)");
	LAB4 END */
}

int vdev_init(struct vm *vm, const struct vmm_config *cfg, char *err, size_t errsize)
{
	cons_init(&vm->cons, cfg->cons_out, cfg->cons_in_fd,
		  (struct dev_irq){ virq_line, vm, ISA_IRQ_CONSOLE });
	cons_set_stop(&vm->cons, cfg->interrupt);
	if (disk_init(&vm->disk, cfg->disk_path,
		      (struct dev_irq){ virq_line, vm, ISA_IRQ_DISK }, err, errsize))
		return -1;
	/* LAB4 BEGIN: the disk's DMA window: the guest's RAM and nothing else (task 5) */
	vm->dma = (struct dev_dma){ .base = vm->gram, .size = vm->gmem,
				    .written = dma_written, .ctx = vm };
	/* LAB4 STUB
	vm->dma = (struct dev_dma){ .base = vm->gram, .size = 0, .written = dma_written,
				    .ctx = vm };	// lab4: the DMA window not implemented: every request fails
	LAB4 END */
	return 0;
}

void vdev_free(struct vm *vm)
{
	disk_close(&vm->disk);
	cons_flush(&vm->cons);
}

void vdev_reset(struct vm *vm)
{
	cons_reset(&vm->cons);
	disk_reset(&vm->disk);
}

static void trace_port(struct vm *vm, bool out, uint32_t port, uint32_t val, unsigned cause)
{
	bool k = vcpu_kernel(&vm->vc);

	/* The machine's format (vm/hw/hwtrace.c), so traces compare. */
	if (cause)
		vm_trace(vm, TRACE_DEV, hw_get_pc(vm->m), k, k, out ? "out" : "in",
			 "port=0x%02x (%s) bus-error", port, isa_port_name(port));
	else
		vm_trace(vm, TRACE_DEV, hw_get_pc(vm->m), k, k, out ? "out" : "in",
			 "port=0x%02x (%s) value=0x%08x", port, isa_port_name(port), val);
}

unsigned vdev_in(struct vm *vm, uint32_t port, uint32_t *val)
{
	uint64_t now = vm_now(vm);
	unsigned c = 0;

	*val = 0;
	if (port <= ISA_PORT_CONS_CTRL)
		c = cons_read(&vm->cons, port - ISA_PORT_CONS_DATA, now, val) ? 0 : ISA_CAUSE_BUS;
	else if (port >= ISA_PORT_DISK_SECTOR && port <= ISA_PORT_DISK_SIZE)
		c = disk_read(&vm->disk, port - ISA_PORT_DISK_SECTOR, now, val) ? 0 : ISA_CAUSE_BUS;
	else if (port == ISA_PORT_POWER)
		*val = 0;
	else if (port == ISA_PORT_MEMSIZE)
		*val = vm->gmem;
	else
		c = ISA_CAUSE_BUS;
	if (vm_tracing(vm, TRACE_DEV))
		trace_port(vm, false, port, *val, c);
	return c;
}

unsigned vdev_out(struct vm *vm, uint32_t port, uint32_t val, bool *power)
{
	uint64_t now = vm_now(vm);
	unsigned c = 0;

	if (port <= ISA_PORT_CONS_CTRL)
		c = cons_write(&vm->cons, port - ISA_PORT_CONS_DATA, val, now) ? 0 : ISA_CAUSE_BUS;
	else if (port >= ISA_PORT_DISK_SECTOR && port <= ISA_PORT_DISK_SIZE)
		c = disk_write(&vm->disk, port - ISA_PORT_DISK_SECTOR, val, now) ? 0 : ISA_CAUSE_BUS;
	else if (port == ISA_PORT_POWER) {
		vm->power_code = val & 0xff;
		cons_flush(&vm->cons);
		*power = true;
	} else if (port != ISA_PORT_MEMSIZE)
		c = ISA_CAUSE_BUS;
	/* After the access, like the machine: a refused one says bus-error. */
	if (vm_tracing(vm, TRACE_DEV))
		trace_port(vm, true, port, val, c);
	return c;
}
