/*
 * bt.h - the block translator of binary translation (the first piece of
 * `vmlab run --bt`, issue 14): one guest kernel basic block in, its
 * translation for the translation cache out.
 *
 * A PG32-L guest kernel cannot run directly under trap-and-emulate: its
 * rdst and setie run without a trap and see or change the real machine
 * (isa/ISA.md 15).  Binary translation runs it from a translation instead,
 * in which every sensitive instruction is replaced by a callout.  The
 * translation keeps the guest's instructions one for one at the same
 * offsets, so a fault inside a block maps back to the guest pc by
 * arithmetic, and puts all rewriting at the block's end:
 *
 *   guest block at G                  translation at T
 *   G+0   innocuous 0                 T+0   innocuous 0   (copied)
 *   ...                               ...
 *   G+4k  last (branch, jal, jalr,    T+4k  the fix-up of the last one:
 *         sensitive insn, or page           callouts, links, exit stubs
 *         end)
 *
 * A callout is a word whose opcode is unassigned (BT_CALLOUT_OPCODE), so
 * it raises ILLEGAL with badva = the word (ISA.md 5.5); its low bits index
 * the block's callout table, which says what the VMM must do.  An exit
 * stub is a callout until the VMM chains it (bt_chain) into a jal straight
 * to the successor's translation.
 */
#ifndef BT_H
#define BT_H

#include <stdbool.h>
#include <stdint.h>

#include "pg32.h"

#define BT_CALLOUT_OPCODE	0xfeu	/* unassigned: ILLEGAL, badva = word */
#define BT_MAX_INSNS		64	/* guest instructions per block */
#define BT_MAX_WORDS		(BT_MAX_INSNS + 8)
#define BT_MAX_CALLOUTS		4

#define BT_CALLOUT(i)		(((uint32_t)BT_CALLOUT_OPCODE << 24) | (uint32_t)(i))
#define BT_IS_CALLOUT(w)	(ISA_GET_OPCODE(w) == BT_CALLOUT_OPCODE)
#define BT_CALLOUT_INDEX(w)	((w) & 0xffffffu)

enum bt_kind {
	BT_EMULATE,	/* a sensitive instruction: emulate .word at .guest_pc,
			 * then continue at .guest_pc + 4 */
	BT_EXIT,	/* leave the block for guest pc .target (chainable) */
	BT_INDIRECT,	/* jalr .word at .guest_pc: the link is the guest's
			 * .guest_pc + 4, the target known only at run time */
};

struct bt_callout {
	enum bt_kind kind;
	uint32_t guest_pc;	/* the guest instruction it stands for */
	uint32_t word;		/* BT_EMULATE, BT_INDIRECT: that instruction */
	uint32_t target;	/* BT_EXIT: the guest pc to continue at */
	uint32_t stub;		/* word index of the callout in the translation */
};

struct bt_block {
	uint32_t guest_pc;	/* first guest instruction */
	uint32_t ninsns;	/* guest instructions covered */
	uint32_t nbody;		/* of them copied one for one (offsets kept) */
	uint32_t tc_pc;		/* address of the translation */
	uint32_t nwords;	/* length of the translation */
	uint32_t words[BT_MAX_WORDS];
	unsigned ncallouts;
	struct bt_callout callouts[BT_MAX_CALLOUTS];
};

/* Translate the guest block starting at guest_pc, whose instruction words
 * are code[0..n) (n >= 1; the block stops earlier at its first branch,
 * jump or sensitive instruction, at BT_MAX_INSNS, or at the end of the
 * guest page), for execution at tc_pc.  Every sensitive instruction of the
 * table (ISA_C_SENSITIVE) becomes a callout, on every variant: kernel code
 * under BT never executes one.  Cannot fail. */
void bt_translate(const uint32_t *code, unsigned n, uint32_t guest_pc, uint32_t tc_pc,
		  struct bt_block *b);

/* The guest pc of the translation's word at tc (a copied instruction), or
 * of the instruction a fix-up word stands for. */
uint32_t bt_guest_pc(const struct bt_block *b, uint32_t tc);

/* Chain callout i (a BT_EXIT) to the translation at target_tc: the stub
 * becomes `jal zero, target_tc`.  Returns 0, or -1 if target_tc is out of
 * jal's range (the stub stays a callout). */
int bt_chain(struct bt_block *b, unsigned i, uint32_t target_tc);

/* --- the translation cache (btcache.c) ------------------------------------ */

#define BT_CACHE_BLOCKS	4096
#define BT_CACHE_SLOTS	8192	/* open hash by guest pc, at most half full */
#define BT_CACHE_PAGES	256	/* guest code pages translated from */

struct bt_stats {
	uint64_t hits, misses;		/* bt_cache_lookup */
	uint64_t blocks, translated_insns;
	uint64_t flushes;		/* whole-cache flushes, for any reason */
	uint64_t invalidations;		/* of them, by a write to guest code */
};

/* The translations live at machine addresses tc_base .. tc_base + tc_size
 * (the caller maps them for the guest and copies each block's words
 * there); the blocks' descriptions live here. */
struct bt_cache {
	uint32_t tc_base, tc_size, used;
	struct bt_block *blocks;	/* [BT_CACHE_BLOCKS] */
	unsigned nblocks;
	uint16_t slot[BT_CACHE_SLOTS];	/* block index + 1, 0 = empty */
	uint32_t pages[BT_CACHE_PAGES];	/* guest-physical pages of their code */
	unsigned npages;
	struct bt_stats st;
};

/* Returns 0, or -1 if out of host memory. */
int bt_cache_init(struct bt_cache *c, uint32_t tc_base, uint32_t tc_size);
void bt_cache_free(struct bt_cache *c);

/* The block translated from guest_pc, or NULL (a miss). */
struct bt_block *bt_cache_lookup(struct bt_cache *c, uint32_t guest_pc);

/* Translate the block at guest_pc (code[0..n) its words, read from the
 * guest-physical page code_page) into the next free space, flushing the
 * whole cache first if it is full.  Pointers to other blocks are invalid
 * after a call that flushed (st.flushes grew).  Cannot fail. */
struct bt_block *bt_cache_add(struct bt_cache *c, const uint32_t *code, unsigned n,
			      uint32_t guest_pc, uint32_t code_page);

/* Empty the cache (every chained jump goes with it). */
void bt_cache_flush(struct bt_cache *c);

/* Whether guest-physical address pa is in a page code was translated from:
 * the pages the VMM write-protects in the guest's shadow tables. */
bool bt_cache_holds_page(const struct bt_cache *c, uint32_t pa);

/* A guest store to pa: if it hit translated code, flush the cache and
 * return true (the store itself is the caller's to do). */
bool bt_cache_written(struct bt_cache *c, uint32_t pa);

#endif /* BT_H */
