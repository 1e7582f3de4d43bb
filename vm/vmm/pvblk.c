/*
 * pvblk.c - the paravirtual block device's backend: a ring of requests in
 * guest memory, in the style of virtio's split virtqueue, served over the
 * same disk image as the port-I/O disk (vm/vmm/HYPERCALLS.md, "Block ring").
 *
 * One page of guest-physical memory, registered by HC_BLK_SETUP (N, the
 * queue size, a power of two up to PVBLK_MAXQ):
 *
 *   +0     descriptor table  N x { u32 addr; u32 len; u16 flags; u16 next }
 *   +1024  available ring    u16 flags; u16 idx; u16 ring[N]     (driver)
 *   +2048  used ring         u16 flags; u16 idx; { u32 id; u32 len } ring[N]
 *
 * A request is a chain of descriptors: an 8-byte header { u32 type
 * (0 read, 1 write); u32 sector }, data buffers (whole sectors; the device
 * writes them for a read: flag WRITE), and a 1-byte status the device
 * writes (0 ok, 1 I/O error, 2 unsupported).  The driver fills descriptors,
 * puts each chain's head in the available ring, bumps avail.idx, and
 * notifies once for the batch (HC_BLK_NOTIFY kick).  Like the port-I/O
 * disk, the device completes ISA_DISK_LATENCY guest ticks after the kick:
 * then it serves every chain made available by then, in order (the DMA
 * happens at completion), puts { head, bytes written } in the used ring,
 * bumps used.idx, and raises the disk line (unless the driver set
 * avail.flags NO_INTERRUPT); the driver lowers it with HC_BLK_NOTIFY ack.
 * Addresses in descriptors are guest-physical.
 */
#include <unistd.h>

#include "vmm_priv.h"

enum { DESC_NEXT = 1, DESC_WRITE = 2 };		/* descriptor flags */
enum { AVAIL_NO_INTERRUPT = 1 };		/* avail.flags */
enum { BLK_OK = 0, BLK_IOERR = 1, BLK_UNSUPP = 2 };
enum { RING_AVAIL = 1024, RING_USED = 2048, SECTOR = 512 };

static void st16(struct vm *vm, uint32_t gpa, uint16_t v)
{
	vmm_guest_write(vm, gpa, &v, 2);
}

struct desc {
	uint32_t addr, len;
	uint16_t flags, next;
};

static struct desc desc_at(const struct vm *vm, unsigned i)
{
	uint32_t d = vm->pv.blk_ring + 12 * i;

	return (struct desc){ pv_ld32(vm, d), pv_ld32(vm, d + 4), pv_ld16(vm, d + 8), pv_ld16(vm, d + 10) };
}

static bool in_ram(const struct vm *vm, uint32_t gpa, uint32_t len)
{
	return len <= vm->gmem && gpa <= vm->gmem - len;
}

/* Read or write whole sectors between the image and guest RAM. */
static bool transfer(struct vm *vm, bool write, uint32_t sector, const struct desc *d)
{
	uint64_t off = (uint64_t)sector * SECTOR;
	ssize_t n;

	if (vm->disk.fd < 0 || d->len % SECTOR || !in_ram(vm, d->addr, d->len)
	    || sector + (uint64_t)d->len / SECTOR > vm->disk.nsectors
	    || write == !!(d->flags & DESC_WRITE))
		return false;
	if (write) {
		n = pwrite(vm->disk.fd, vm->gram + d->addr, d->len, (off_t)off);
	} else {
		n = pread(vm->disk.fd, vm->gram + d->addr, d->len, (off_t)off);
		if (n == (ssize_t)d->len) {
			hw_mem_written(vm->m, vm->area + d->addr, d->len);
			shadow_guest_written(vm, d->addr, d->len);
		}
	}
	return n == (ssize_t)d->len;
}

/* Serve the chain at head; returns the bytes the device wrote. */
static uint32_t serve(struct vm *vm, unsigned head)
{
	/* LAB6 BEGIN: serve one chain of descriptors (task 6) */
	unsigned n = vm->pv.blk_n, i = head, hops = 0;
	struct desc d = desc_at(vm, i), st = d;
	uint32_t type = 0, sector = 0, written = 0;
	uint8_t status = BLK_OK;

	if (d.len < 8 || !in_ram(vm, d.addr, 8) || !(d.flags & DESC_NEXT)) {
		vm->pv.blk_errors++;
		return 0;	/* no status byte to report in: dropped */
	}
	type = pv_ld32(vm, d.addr);
	sector = pv_ld32(vm, d.addr + 4);
	if (type > 1)
		status = BLK_UNSUPP;
	for (;;) {		/* the data descriptors, then the status one */
		i = d.next;
		if (i >= n || ++hops >= n) {
			vm->pv.blk_errors++;
			return written;
		}
		d = desc_at(vm, i);
		if (!(d.flags & DESC_NEXT)) {
			st = d;
			break;
		}
		if (status == BLK_OK && !transfer(vm, type == 1, sector, &d))
			status = BLK_IOERR;
		if (status == BLK_OK) {
			sector += d.len / SECTOR;
			written += type == 0 ? d.len : 0;
			vm->pv.blk_bytes += d.len;
		}
	}
	if (!st.len || !in_ram(vm, st.addr, 1) || !(st.flags & DESC_WRITE)) {
		vm->pv.blk_errors++;
		return written;
	}
	vmm_guest_write(vm, st.addr, &status, 1);
	if (status != BLK_OK)
		vm->pv.blk_errors++;
	if (vm_tracing(vm, TRACE_DEV))
		vm_trace(vm, TRACE_DEV, hw_get_pc(vm->m), true, true, "pvblk",
			 "%s head=%u sector=%u bytes=%u status=%u", type == 1 ? "write" : "read",
			 head, pv_ld32(vm, desc_at(vm, head).addr + 4), written, status);
	return written + 1;
	/* LAB6 STUB
	(void)head; (void)desc_at; (void)transfer;
	vmm_not_implemented(vm, "lab6: a block request (serve, vm/vmm/pvblk.c)");
	return 0;
	LAB6 END */
}

bool pvblk_ring_ok(const struct vm *vm, uint32_t ring, uint32_t n)
{
	return pv_page_ok(vm, ring) && n != 0 && n <= PVBLK_MAXQ && !(n & (n - 1));
}

int32_t pvblk_setup(struct vm *vm, uint32_t ring, uint32_t n)
{
	if (ring == 0) {
		vm->pv.blk_ring = 0;
		return 0;
	}
	if (!pvblk_ring_ok(vm, ring, n))
		return -HC_EINVAL;
	vm->pv.blk_ring = ring;
	vm->pv.blk_n = n;
	vm->pv.blk_seen = pv_ld16(vm, ring + RING_AVAIL + 2);
	vm->pv.blk_due = UINT64_MAX;
	return 0;
}

int32_t pvblk_notify(struct vm *vm, uint32_t flags)
{
	uint32_t r = vm->pv.blk_ring;

	if (!r)
		return -HC_EINVAL;
	if (flags & PVBLK_ACK)
		virq_line(vm, ISA_IRQ_DISK, false);
	if ((flags & PVBLK_KICK) && vm->pv.blk_due == UINT64_MAX)
		vm->pv.blk_due = vm_now(vm) + ISA_DISK_LATENCY;
	return (uint16_t)(pv_ld16(vm, r + RING_AVAIL + 2) - vm->pv.blk_seen);
}

void pvblk_complete(struct vm *vm)
{
	/* LAB6 BEGIN: complete a batch: the used ring and the interrupt (task 7) */
	uint32_t r = vm->pv.blk_ring, served = 0;
	uint16_t avail, used;

	vm->pv.blk_due = UINT64_MAX;
	if (!r)
		return;
	avail = pv_ld16(vm, r + RING_AVAIL + 2);
	used = pv_ld16(vm, r + RING_USED + 2);
	for (; vm->pv.blk_seen != avail && served < vm->pv.blk_n; vm->pv.blk_seen++, served++) {
		unsigned slot = vm->pv.blk_seen & (vm->pv.blk_n - 1);
		unsigned head = pv_ld16(vm, r + RING_AVAIL + 4 + 2 * slot);
		uint32_t len = head < vm->pv.blk_n ? serve(vm, head) : 0;
		uint32_t u = r + RING_USED + 4 + 8 * (used & (vm->pv.blk_n - 1));

		pv_st32(vm, u, head);
		pv_st32(vm, u + 4, len);
		used++;
		vm->pv.blk_requests++;
	}
	st16(vm, r + RING_USED + 2, used);
	if (served && !(pv_ld16(vm, r + RING_AVAIL) & AVAIL_NO_INTERRUPT))
		virq_line(vm, ISA_IRQ_DISK, true);
	/* LAB6 STUB
	(void)serve; (void)st16;
	vm->pv.blk_due = UINT64_MAX;
	vmm_not_implemented(vm, "lab6: the ring's completion (pvblk_complete, vm/vmm/pvblk.c)");
	LAB6 END */
}
