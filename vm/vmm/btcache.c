/*
 * btcache.c - the translation cache of binary translation: the blocks
 * bt_translate made, laid out one after the other in a region of VMM
 * memory, found by guest pc, chained to each other, and thrown away when
 * the guest writes to a page their code came from.  See bt.h.
 *
 * Invalidation flushes the whole cache, as early QEMU's tb_flush did: a
 * chained jump may lead into any block, so dropping one block would mean
 * finding and unchaining every jump to it.  Guest kernels rarely write
 * their own code, so a flush is rare; the statistics count it.
 */
#include "bt.h"

#include <stdlib.h>
#include <string.h>

static unsigned slot_of(uint32_t guest_pc)
{
	return (guest_pc >> 2) * 2654435761u % BT_CACHE_SLOTS;
}

int bt_cache_init(struct bt_cache *c, uint32_t tc_base, uint32_t tc_size)
{
	memset(c, 0, sizeof *c);
	c->blocks = calloc(BT_CACHE_BLOCKS, sizeof *c->blocks);
	c->block_gpa = calloc(BT_CACHE_BLOCKS, sizeof *c->block_gpa);
	if (!c->blocks || !c->block_gpa) {
		bt_cache_free(c);
		return -1;
	}
	c->tc_base = tc_base;
	c->tc_size = tc_size;
	return 0;
}

void bt_cache_free(struct bt_cache *c)
{
	free(c->blocks);
	free(c->block_gpa);
	c->blocks = NULL;
	c->block_gpa = NULL;
}

void bt_cache_flush(struct bt_cache *c)
{
	c->nblocks = 0;
	c->used = 0;
	c->npages = 0;
	memset(c->slot, 0, sizeof c->slot);
	c->st.flushes++;
}

struct bt_block *bt_cache_lookup(struct bt_cache *c, uint32_t guest_pc, uint32_t gpa)
{
	for (unsigned s = slot_of(guest_pc), n = 0; n < BT_CACHE_SLOTS;
	     s = (s + 1) % BT_CACHE_SLOTS, n++) {
		unsigned i = c->slot[s];

		if (!i)
			break;
		if (c->blocks[i - 1].guest_pc == guest_pc && c->block_gpa[i - 1] == gpa) {
			c->st.hits++;
			return &c->blocks[i - 1];
		}
	}
	c->st.misses++;
	return NULL;
}

struct bt_block *bt_cache_find_tc(const struct bt_cache *c, uint32_t tc)
{
	unsigned lo = 0, hi = c->nblocks;

	/* The blocks lie in the order of their addresses. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct bt_block *b = &c->blocks[mid];

		if (tc < b->tc_pc)
			hi = mid;
		else if (tc >= b->tc_pc + 4 * b->nwords)
			lo = mid + 1;
		else
			return &c->blocks[mid];
	}
	return NULL;
}

static void note_page(struct bt_cache *c, uint32_t page)
{
	for (unsigned i = 0; i < c->npages; i++)
		if (c->pages[i] == page)
			return;
	c->pages[c->npages++] = page;
}

struct bt_block *bt_cache_add(struct bt_cache *c, const uint32_t *code, unsigned n,
			      uint32_t guest_pc, uint32_t gpa)
{
	struct bt_block *b;
	unsigned s;

	/* Full (blocks, bytes, pages or hash at half load): start afresh. */
	if (c->nblocks == BT_CACHE_BLOCKS || c->npages == BT_CACHE_PAGES ||
	    c->used + 4 * BT_MAX_WORDS > c->tc_size || 2 * c->nblocks >= BT_CACHE_SLOTS)
		bt_cache_flush(c);
	c->block_gpa[c->nblocks] = gpa;
	b = &c->blocks[c->nblocks++];
	bt_translate(code, n, guest_pc, c->tc_base + c->used, c->flags, b);
	c->used += 4 * b->nwords;
	c->st.translated_insns += b->ninsns;
	c->st.blocks++;
	note_page(c, gpa & ~(uint32_t)(ISA_PAGE_SIZE - 1));
	for (s = slot_of(guest_pc); c->slot[s]; s = (s + 1) % BT_CACHE_SLOTS)
		;
	c->slot[s] = c->nblocks;
	return b;
}

bool bt_cache_holds_page(const struct bt_cache *c, uint32_t pa)
{
	for (unsigned i = 0; i < c->npages; i++)
		if (c->pages[i] == (pa & ~(uint32_t)(ISA_PAGE_SIZE - 1)))
			return true;
	return false;
}

bool bt_cache_written(struct bt_cache *c, uint32_t pa)
{
	if (!bt_cache_holds_page(c, pa))
		return false;
	bt_cache_flush(c);
	c->st.invalidations++;
	return true;
}
