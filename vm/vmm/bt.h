/*
 * bt.h - binary translation (`vmlab run --bt`): the block translator and
 * the translation cache.  The run loop that executes translations is
 * btrun.c's.
 *
 * A PG32-L guest kernel cannot run directly under trap-and-emulate: its
 * rdst and setie run without a trap and see or change the real machine
 * (isa/ISA.md 15).  Binary translation runs it from a translation instead,
 * in which every sensitive instruction is replaced by a callout.
 *
 * Two rules make a translation invisible to the guest:
 *
 *  1. One for one.  Guest instruction k of a block sits at word k of its
 *     translation, so a fault, a budget stop or a breakpoint inside a block
 *     maps back to the guest pc by arithmetic (epc, badva of a fetch, the
 *     monitor's pc are guest addresses).
 *  2. One tick per guest instruction.  Every word the machine executes in
 *     a translation retires exactly the guest instruction at its place; a
 *     callout is a trap (no tick), and the VMM retires the guest
 *     instruction it stands for itself when it has not run (callout.ticks).
 *     So the machine's tick counter stays the guest's, exactly as under
 *     trap-and-emulate, and `mfcr icount` and every timer interrupt land
 *     where they land on the bare machine.
 *
 *   guest block at G                  translation at T
 *   G+0   innocuous                   T+0   innocuous (copied)
 *   G+4   bcc rs1, rs2, X             T+4   bcc rs1, rs2, S0  (side exit)
 *   G+8   innocuous                   T+8   innocuous (copied)
 *   G+12  last: sensitive, jal,       T+12  callout in place (or, chained,
 *         jalr, or a guest word             jal zero, to X's translation)
 *         that looks like a callout   S0 = T+16: callout EXIT X, no tick
 *                                     (S1: callout EXIT G+16 if the block
 *                                      ran out of room: block full, page end)
 *
 * Inline (flag BT_INLINE, vmlab run --bt=inline): a sensitive instruction
 * that only reads a control register, or writes one that has no side
 * effect and no write mask (scratch, cause, badva), is not a callout but
 * one load or store of the VCPU page (BT_VCPU_VA), as VMware translated
 * cli into a store to its VCPU: one word, one tick, no exit (bt_inline).
 * The price is VMware's too: the guest kernel's own accesses to that page
 * reach the VCPU page instead of its memory (x86 BT hid its VCPU behind a
 * segment limit; PG32 has no segments).
 *
 * A callout is a word whose opcode is unassigned (BT_CALLOUT_OPCODE), so
 * it raises ILLEGAL with badva = the word (ISA.md 5.5); its low bits index
 * the block's callout table, which says what the VMM must do.
 */
#ifndef BT_H
#define BT_H

#include <stdbool.h>
#include <stdint.h>

#include "pg32.h"

#define BT_CALLOUT_OPCODE	0xfeu	/* unassigned: ILLEGAL, badva = word */
#define BT_MAX_INSNS		64	/* guest instructions per block */
#define BT_MAX_CALLOUTS		16
#define BT_MAX_WORDS		(BT_MAX_INSNS + BT_MAX_CALLOUTS)

/* The virtual CPU's control registers, as a page the translations read and
 * write directly (btrun.c keeps it equal to the VCPU's): word cr at
 * BT_VCPU_VA + 4 * cr, which `lw rd, imm(zero)` reaches with imm < 0. */
#define BT_VCPU_VA		0xfffff000u

#define BT_CALLOUT(i)		(((uint32_t)BT_CALLOUT_OPCODE << 24) | (uint32_t)(i))
#define BT_IS_CALLOUT(w)	(ISA_GET_OPCODE(w) == BT_CALLOUT_OPCODE)
#define BT_CALLOUT_INDEX(w)	((w) & 0xffffffu)

enum bt_kind {
	BT_EMULATE,	/* the sensitive instruction .word at .guest_pc: the
			 * VMM raises the trap it would raise if privileged
			 * (or ILLEGAL for a guest word that looks like a
			 * callout); in place */
	BT_EXIT,	/* continue at guest pc .target (in place for jal zero,
			 * ticks 1; a side exit of a bcc or the fall-through
			 * at the block's end, ticks 0) */
	BT_CALL,	/* jal rd (rd != zero) .word at .guest_pc: rd = the
			 * guest's .guest_pc + 4, continue at .target; in place */
	BT_INDIRECT,	/* jalr .word at .guest_pc: the target is known only at
			 * run time, the link is the guest's .guest_pc + 4 */
};

struct bt_callout {
	enum bt_kind kind;
	uint32_t guest_pc;	/* the guest instruction it stands for (a side
				 * exit: its bcc; the fall-through: none, the
				 * pc after the block) */
	uint32_t word;		/* that instruction's word (0 for a fall-through) */
	uint32_t target;	/* BT_EXIT, BT_CALL: the guest pc to continue at */
	uint16_t stub;		/* word index of the callout in the translation */
	uint16_t src;		/* word index of the instruction that leads to
				 * it: = stub in place, the bcc for a side exit */
	uint8_t ticks;		/* guest instructions the VMM retires for it:
				 * 1 when the guest's instruction did not run */
	bool chainable;		/* bt_chain can turn it into a direct jump
				 * without changing the guest's tick count */
};

struct bt_block {
	uint32_t guest_pc;	/* first guest instruction */
	uint32_t ninsns;	/* guest instructions covered, one word each */
	uint32_t tc_pc;		/* address of the translation */
	uint32_t nwords;	/* length of the translation */
	uint32_t words[BT_MAX_WORDS];
	unsigned ncallouts;
	struct bt_callout callouts[BT_MAX_CALLOUTS];
};

/* Translate the guest block starting at guest_pc, whose instruction words
 * are code[0..n) (n >= 1), for execution at tc_pc.  The block stops after
 * its first jal, jalr or sensitive instruction (ISA_C_SENSITIVE, on every
 * variant: kernel code under BT never executes one), at BT_MAX_INSNS, at
 * the end of the guest page, after n words, or when its callout table is
 * full.  Conditional branches stay in the block, as side exits.  Cannot
 * fail. */
enum { BT_INLINE = 1 };	/* bt_translate: translate inline where it can */
void bt_translate(const uint32_t *code, unsigned n, uint32_t guest_pc, uint32_t tc_pc,
		  unsigned flags, struct bt_block *b);

/* The inline translation of guest instruction w (a load or store of the
 * VCPU page), or 0 if it has none. */
uint32_t bt_inline(uint32_t w);

/* The guest pc the machine is at when its pc is tc inside b's translation:
 * the instruction at that place, or for a side-exit or fall-through stub
 * the pc it continues at (the guest instruction before it has retired). */
uint32_t bt_guest_pc(const struct bt_block *b, uint32_t tc);

/* Chain callout i (chainable) to the translation at target_tc: a side exit
 * by pointing its bcc straight at target_tc, an in-place jal zero by
 * replacing the callout with `jal zero, target_tc`.  Returns the index of
 * the word rewritten, or -1 if i is not chainable or target_tc is out of
 * the instruction's range (nothing changes). */
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

/* The translations live at addresses tc_base .. tc_base + tc_size (the
 * caller maps them for the machine and copies each block's words there);
 * the blocks' descriptions live here, in the order of their addresses. */
struct bt_cache {
	uint32_t tc_base, tc_size, used;
	unsigned flags;			/* bt_translate's (BT_INLINE) */
	struct bt_block *blocks;	/* [BT_CACHE_BLOCKS] */
	uint32_t *block_gpa;		/* [BT_CACHE_BLOCKS]: guest-physical
					 * address of each block's first word */
	unsigned nblocks;
	uint16_t slot[BT_CACHE_SLOTS];	/* block index + 1, 0 = empty */
	uint32_t pages[BT_CACHE_PAGES];	/* guest-physical pages of their code */
	unsigned npages;
	struct bt_stats st;
};

/* Returns 0, or -1 if out of host memory. */
int bt_cache_init(struct bt_cache *c, uint32_t tc_base, uint32_t tc_size);
void bt_cache_free(struct bt_cache *c);

/* The block translated from guest_pc whose code was at guest-physical
 * gpa, or NULL (a miss). */
struct bt_block *bt_cache_lookup(struct bt_cache *c, uint32_t guest_pc, uint32_t gpa);

/* The block whose translation holds address tc, or NULL. */
struct bt_block *bt_cache_find_tc(const struct bt_cache *c, uint32_t tc);

/* Translate the block at guest_pc (code[0..n) its words, read from
 * guest-physical gpa) into the next free space, flushing the whole cache
 * first if it is full.  Pointers to other blocks are invalid after a call
 * that flushed (st.flushes grew).  Cannot fail. */
struct bt_block *bt_cache_add(struct bt_cache *c, const uint32_t *code, unsigned n,
			      uint32_t guest_pc, uint32_t gpa);

/* Empty the cache (every chained jump goes with it). */
void bt_cache_flush(struct bt_cache *c);

/* Whether guest-physical address pa is in a page code was translated from:
 * the pages the VMM write-protects in the guest's shadow tables. */
bool bt_cache_holds_page(const struct bt_cache *c, uint32_t pa);

/* A guest store to pa: if it hit translated code, flush the cache and
 * return true (the store itself is the caller's to do). */
bool bt_cache_written(struct bt_cache *c, uint32_t pa);

#endif /* BT_H */
