/*
 * dev.h - what a device model needs from whoever hosts it.  The console and
 * the disk are written against this alone, never against struct machine, so
 * that the VMM can host the same models as a guest's virtual devices: a
 * device is given the current time (ticks) as an argument, DMA goes through
 * a (base, size) window of memory it is handed, and it reports its
 * interrupt line through a hook.
 */
#ifndef HW_DEV_H
#define HW_DEV_H

#include <stdbool.h>
#include <stdint.h>

/* An interrupt line: set(ctx, lines, level) raises (level true) or lowers
 * the ISA_IRQ_* bits 'lines' of whoever hosts the device.  set may be NULL
 * (line not connected). */
struct dev_irq {
	void (*set)(void *ctx, uint32_t lines, bool level);
	void *ctx;
	uint32_t lines;
};

static inline void dev_irq_level(const struct dev_irq *irq, bool level)
{
	if (irq->set)
		irq->set(irq->ctx, irq->lines, level);
}

/* A DMA window: guest-physical address pa is host byte base[pa] for
 * pa < size.  written(ctx, pa, len), if set, is told after a device wrote
 * [pa, pa+len) (so that cached decodings of that memory are dropped). */
struct dev_dma {
	uint8_t *base;
	uint32_t size;
	void (*written)(void *ctx, uint32_t pa, uint32_t len);
	void *ctx;
};

#endif /* HW_DEV_H */
