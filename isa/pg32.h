/*
 * pg32.h - the PG32 architecture as C: instruction formats, control
 * registers, trap causes, page-table entries, I/O ports, and the decoder,
 * encoder and disassembler that are views of the instruction table
 * (pg32.def).  isa/ISA.md is the prose specification; this header is the
 * same contract in numbers.  It depends on nothing but the C library.
 */
#ifndef PG32_H
#define PG32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Instruction formats.  Every instruction is one little-endian 32-bit word,
 * 4-byte aligned.  Bits 31:24 are the opcode.  Register operands appear in
 * the word in the order they are written in assembly, left to right.
 * Bits shown as 0 must be zero: any other value is an undefined encoding
 * and raises ILLEGAL.
 *
 *         31      24 23   20 19   16 15   12 11                   0
 *        +----------+-------+-------+-------+----------------------+
 *  R     |  opcode  |  rd   |  rs1  |  rs2  |          0           |
 *        +----------+-------+-------+-------+----------------------+
 *  I/IU  |  opcode  |  rd   |  rs1  |           imm16              |
 *        +----------+-------+-------+-------+--------------+-------+
 *  SH    |  opcode  |  rd   |  rs1  |            0         | shamt |
 *        +----------+-------+-------+------------------------------+
 *  U     |  opcode  |  rd   |   0   |           imm16              |
 *        +----------+-------+-------+------------------------------+
 *  S     |  opcode  |  rs2  |  rs1  |           imm16              |
 *        +----------+-------+-------+------------------------------+
 *  B     |  opcode  |  rs1  |  rs2  |           off16              |
 *        +----------+-------+-------+------------------------------+
 *  J     |  opcode  |  rd   |               off20                  |
 *        +----------+-------+-------+------------------------------+
 *  CRR   |  opcode  |  rd   |  cr   |             0                |
 *        +----------+-------+-------+------------------------------+
 *  CRW   |  opcode  |  cr   |  rs1  |             0                |
 *        +----------+-------+-------+------------------------------+
 *  R1    |  opcode  |   0   |  rs1  |             0                |
 *        +----------+-------+-------+------------------------------+
 *  D     |  opcode  |  rd   |                  0                   |
 *        +----------+-------+--------------------------------------+
 *  N     |  opcode  |                     0                        |
 *        +----------+----------------------------------------------+
 *
 *  I, S: imm16 is sign-extended.  IU, U: imm16 is zero-extended (U shifts
 *  it left 16).  SH: shamt is 5 bits, 0..31.  B: target = pc + sext(off16)*4.
 *  J: target = pc + sext(off20)*4.  CRR/CRW: cr must name an assigned
 *  control register (< ISA_NCR), otherwise ILLEGAL.
 */
enum isa_format {
	ISA_FMT_R, ISA_FMT_I, ISA_FMT_IU, ISA_FMT_SH, ISA_FMT_U, ISA_FMT_S,
	ISA_FMT_B, ISA_FMT_J, ISA_FMT_CRR, ISA_FMT_CRW, ISA_FMT_R1, ISA_FMT_N,
	ISA_FMT_D,
	ISA_NFMT
};

#define ISA_GET_OPCODE(w)	((uint32_t)(w) >> 24)
#define ISA_GET_A(w)		(((uint32_t)(w) >> 20) & 0xfu)	/* bits 23:20 */
#define ISA_GET_B(w)		(((uint32_t)(w) >> 16) & 0xfu)	/* bits 19:16 */
#define ISA_GET_C(w)		(((uint32_t)(w) >> 12) & 0xfu)	/* bits 15:12 */
#define ISA_GET_IMM16(w)	((uint32_t)(w) & 0xffffu)
#define ISA_GET_SIMM16(w)	((int32_t)(int16_t)((uint32_t)(w) & 0xffffu))
#define ISA_GET_SIMM20(w)	((int32_t)((uint32_t)(w) << 12) >> 12)
#define ISA_GET_SHAMT(w)	((uint32_t)(w) & 0x1fu)

/* Fixed bits of each format: the opcode plus its must-be-zero fields. */
#define ISA_FMT_MASK(f)							\
	((f) == ISA_FMT_R   ? 0xff000fffu :	/* bits 11:0 zero */	\
	 (f) == ISA_FMT_SH  ? 0xff00ffe0u :	/* bits 15:5 zero */	\
	 (f) == ISA_FMT_U   ? 0xff0f0000u :	/* bits 19:16 zero */	\
	 (f) == ISA_FMT_CRR ? 0xff00ffffu :	/* bits 15:0 zero */	\
	 (f) == ISA_FMT_CRW ? 0xff00ffffu :				\
	 (f) == ISA_FMT_R1  ? 0xfff0ffffu :	/* 23:20, 15:0 zero */	\
	 (f) == ISA_FMT_D   ? 0xff0fffffu :	/* bits 19:0 zero */	\
	 (f) == ISA_FMT_N   ? 0xffffffffu : 0xff000000u)

#define ISA_MAKE_OPCODE(op)	((uint32_t)(op) << 24)
#define ISA_MAKE_A(r)		(((uint32_t)(r) & 0xfu) << 20)
#define ISA_MAKE_B(r)		(((uint32_t)(r) & 0xfu) << 16)
#define ISA_MAKE_C(r)		(((uint32_t)(r) & 0xfu) << 12)
#define ISA_MAKE_IMM16(v)	((uint32_t)(v) & 0xffffu)
#define ISA_MAKE_IMM20(v)	((uint32_t)(v) & 0xfffffu)

/* Instruction classes (the table's class column). */
enum {
	ISA_C_PRIV  = 1 << 0,	/* PRIVILEGED trap in user mode */
	ISA_C_CTRL  = 1 << 1,	/* control-sensitive */
	ISA_C_BEHV  = 1 << 2,	/* behaviour-sensitive */
	ISA_C_TRAP  = 1 << 3,	/* always traps */
	ISA_C_LOAD  = 1 << 4,	/* reads memory */
	ISA_C_STORE = 1 << 5,	/* writes memory */
	ISA_C_LEAK  = 1 << 6,	/* not privileged in the PG32-L variant */
	ISA_C_VIRT  = 1 << 7,	/* exists only on the PG32-V variant */
};
#define ISA_C_SENSITIVE	(ISA_C_CTRL | ISA_C_BEHV)

/*
 * Machine variants (ISA.md section 15).  PG32 is the architecture of this
 * document.  PG32-L ("leaky") is the same machine except that the rows with
 * ISA_C_LEAK are not privileged: in user mode such an instruction does not
 * trap; what it reads (BEHV) is the real state, and what it would change
 * (CTRL) is silently left unchanged, as x86 PUSHF/SMSW and POPF do.
 */
enum isa_variant { ISA_PG32, ISA_PG32L, ISA_PG32V, ISA_NVARIANT };

/* True if row op is an instruction of variant v: the VIRT rows exist only
 * on PG32-V (ISA.md 16); elsewhere their words raise ILLEGAL. */
bool isa_exists(unsigned op, enum isa_variant v);
/* True if row op raises PRIVILEGED in user mode on variant v (false for a
 * row the variant does not have). */
bool isa_privileged(unsigned op, enum isa_variant v);

/* Popek and Goldberg's theorem 1 on the table: stores in out[0..max) the
 * rows of variant v that are sensitive (CTRL or BEHV) but not privileged,
 * in table order, and returns how many there are (possibly more than max).
 * Zero means every sensitive instruction is privileged. */
unsigned isa_offenders(enum isa_variant v, unsigned *out, unsigned max);

/* "pg32", "leaky" or "virt" (the --isa= spelling), and its inverse (-1: unknown). */
const char *isa_variant_name(enum isa_variant v);
int isa_variant_parse(const char *s);

/* One enum value per table row, in table order. */
enum isa_op {
#define INSN(name, opcode, fmt, ops, cls, sem) ISA_OP_##name,
#include "pg32.def"
#undef INSN
	ISA_NOPS,
	ISA_OP_ILLEGAL = ISA_NOPS	/* what decode returns for no match */
};

/* One table row, as data. */
struct isa_info {
	const char *name;
	uint8_t opcode;
	uint8_t format;		/* enum isa_format */
	uint8_t cls;		/* ISA_C_* */
	const char *operands;	/* operand letters, see pg32.def */
	const char *semantics;
	uint32_t match, mask;	/* w is this insn iff (w & mask) == match */
};
extern const struct isa_info isa_table[ISA_NOPS];

/* A decoded instruction.  Fields an instruction does not use are 0.
 * imm is ready to use: sign- or zero-extended per format, shifted left 16
 * for U, a byte offset for B and J, the register number for CRR/CRW. */
struct isa_insn {
	uint16_t op;		/* enum isa_op, ISA_OP_ILLEGAL if undefined */
	uint8_t rd, rs1, rs2;
	int32_t imm;
};

/*
 * General registers.  r0 reads as zero and ignores writes.
 *   r0 zero   r1 ra   r2 sp   r3 gp
 *   r4-r7 a0-a3 (arguments; a0, a1 results)   r8-r11 t0-t3 (temporaries)
 *   r12-r15 s0-s3 (saved; s0 is also fp)
 */
#define ISA_NREGS	16
enum { ISA_R_ZERO = 0, ISA_R_RA = 1, ISA_R_SP = 2, ISA_R_GP = 3,
       ISA_R_A0 = 4, ISA_R_T0 = 8, ISA_R_S0 = 12 };

/* Control registers, numbered as in mfcr/mtcr. */
enum isa_cr {
	ISA_CR_STATUS,		/* mode and interrupt enable, see ISA_ST_* */
	ISA_CR_TVEC,		/* trap vector: pc on every trap entry */
	ISA_CR_EPC,		/* pc saved by trap entry, used by rfe */
	ISA_CR_CAUSE,		/* cause of the last trap, ISA_CAUSE_* */
	ISA_CR_BADVA,		/* faulting address or instruction word */
	ISA_CR_SCRATCH,		/* free for the kernel */
	ISA_CR_PTB,		/* page-table root and paging enable */
	ISA_CR_IPEND,		/* interrupt lines, read-only, ISA_IRQ_* */
	ISA_CR_IMASK,		/* interrupt mask, ISA_IRQ_* */
	ISA_CR_TIMECMP,		/* timer fires when icount reaches this */
	ISA_CR_ICOUNT,		/* ticks: retired instructions (+ wfi sleep) */
	ISA_NCR
};

/* Bits of each control register that mtcr may change; the rest keep their
 * value (read-only registers have mask 0). */
#define ISA_CR_WMASK_INIT {						\
	[ISA_CR_STATUS] = 0x0000000fu,	[ISA_CR_TVEC] = 0xfffffffcu,	\
	[ISA_CR_EPC] = 0xfffffffcu,	[ISA_CR_CAUSE] = 0xffffffffu,	\
	[ISA_CR_BADVA] = 0xffffffffu,	[ISA_CR_SCRATCH] = 0xffffffffu,	\
	[ISA_CR_PTB] = 0xfffff001u,	[ISA_CR_IPEND] = 0,		\
	[ISA_CR_IMASK] = 0x00000007u,	[ISA_CR_TIMECMP] = 0xffffffffu,	\
	[ISA_CR_ICOUNT] = 0 }
extern const uint32_t isa_cr_wmask[ISA_NCR];

/*
 * status:  31                     4   3     2     1    0
 *         +------------------------+-----+-----+----+----+
 *         |           0            | PIE | PKM | IE | KM |
 *         +------------------------+-----+-----+----+----+
 * KM: 1 = kernel mode.  IE: interrupts enabled.  PKM/PIE: KM/IE before the
 * last trap entry.  Reset value 0x1 (kernel, interrupts off).
 */
#define ISA_ST_KM	0x1u
#define ISA_ST_IE	0x2u
#define ISA_ST_PKM	0x4u
#define ISA_ST_PIE	0x8u
#define ISA_ST_RESET	ISA_ST_KM

/* ptb: bits 31:12 physical address of the root table, bit 0 PG (paging). */
#define ISA_PTB_PG	0x1u
#define ISA_PTB_ROOT(p)	((p) & 0xfffff000u)

/* Interrupt lines: bit i of ipend/imask is cause ISA_CAUSE_IRQ_BASE + i. */
#define ISA_IRQ_TIMER	0x1u
#define ISA_IRQ_CONSOLE	0x2u
#define ISA_IRQ_DISK	0x4u
#define ISA_NIRQ	3

/* Trap causes, as written to the cause register. */
enum isa_cause {
	ISA_CAUSE_NONE = 0,
	ISA_CAUSE_ILLEGAL = 1,		/* badva = instruction word */
	ISA_CAUSE_PRIVILEGED = 2,	/* badva = instruction word */
	ISA_CAUSE_SYSCALL = 3,
	ISA_CAUSE_BREAK = 4,
	ISA_CAUSE_HCALL = 5,
	ISA_CAUSE_MISALIGNED = 6,	/* badva = the address */
	ISA_CAUSE_BUS = 7,		/* badva = the address (or port) */
	ISA_CAUSE_PF_FETCH = 8,		/* not present; badva = the address */
	ISA_CAUSE_PF_FETCH_PROT = 9,	/* present, not permitted */
	ISA_CAUSE_PF_LOAD = 10,
	ISA_CAUSE_PF_LOAD_PROT = 11,
	ISA_CAUSE_PF_STORE = 12,
	ISA_CAUSE_PF_STORE_PROT = 13,
	ISA_CAUSE_NPF = 14,		/* PG32-V exit only: nested page fault;
					 * badva = the guest's address, the
					 * guest-physical one in the GSA */
	ISA_CAUSE_IRQ_BASE = 16,
	ISA_CAUSE_TIMER = 16,
	ISA_CAUSE_CONSOLE = 17,
	ISA_CAUSE_DISK = 18,
	ISA_NCAUSE = 19
};

/*
 * Paging: 4 KiB pages, two levels, walked by hardware.
 *
 *   virtual address:  31        22 21        12 11            0
 *                    +------------+------------+---------------+
 *                    | dir index  | table index|  page offset  |
 *                    +------------+------------+---------------+
 *
 *   PTE / PDE:        31                      12 11  7 6 5 4 3 2 1 0
 *                    +-------------------------+-----+-+-+-+-+-+-+-+
 *                    |  physical page number   | sw  |D|A|U|X|W|R|V|
 *                    +-------------------------+-----+-+-+-+-+-+-+-+
 *
 * The root (directory) holds 1024 PDEs; a PDE uses V and the page number of
 * a second-level table and ignores bits 11:1.  Bits 11:7 ("sw") of a PTE are
 * ignored by hardware and free for the OS.
 */
#define ISA_PAGE_SHIFT	12
#define ISA_PAGE_SIZE	4096u
#define ISA_PTE_V	0x01u
#define ISA_PTE_R	0x02u
#define ISA_PTE_W	0x04u
#define ISA_PTE_X	0x08u
#define ISA_PTE_U	0x10u
#define ISA_PTE_A	0x20u
#define ISA_PTE_D	0x40u
#define ISA_PTE_PPN(p)	((p) & 0xfffff000u)
#define ISA_VA_DIR(va)	(((uint32_t)(va) >> 22) & 0x3ffu)
#define ISA_VA_TBL(va)	(((uint32_t)(va) >> 12) & 0x3ffu)

/*
 * PG32-V (ISA.md 16): the guest-state area (GSA), 4-aligned in physical
 * memory, word offsets.  vmrun loads the guest from it and every exit
 * stores the guest back into it, with the exit's cause and payload.
 *
 *   0x00..0x28  the guest's control registers 0..10 (icount: the guest's
 *               time; ipend: the guest's lines, which only the host drives)
 *   0x2c  pc       the guest's pc
 *   0x30  icpt     bit i: privileged opcode 0x60 + i in guest kernel mode exits
 *   0x34  icause   bit c: a trap of cause c exits instead of entering the guest
 *   0x38  icrw     bit c: mtcr to control register c exits
 *   0x3c  nptb     nested root (bits 31:12) | NP (bit 0: nested paging on)
 *   0x40  vmid     TLB tag of the guest, 1..255
 *   0x44  flags    EW (bit 0): a trap entry with no tick since
 *   0x48  xcause   exit: ISA_CAUSE_* (0: preempted by the host)
 *   0x4c  xbadva   exit: what trap entry would write to badva
 *   0x50  xgpa     exit: the guest-physical address of an NPF
 *   0x54  xinsn    exit: the instruction word (0 if none)
 */
enum isa_gsa {
	ISA_GSA_CR = 0x00, ISA_GSA_PC = 0x2c, ISA_GSA_ICPT = 0x30, ISA_GSA_ICAUSE = 0x34,
	ISA_GSA_ICRW = 0x38, ISA_GSA_NPTB = 0x3c, ISA_GSA_VMID = 0x40, ISA_GSA_FLAGS = 0x44,
	ISA_GSA_XCAUSE = 0x48, ISA_GSA_XBADVA = 0x4c, ISA_GSA_XGPA = 0x50,
	ISA_GSA_XINSN = 0x54, ISA_GSA_SIZE = 0x58
};
#define ISA_GSA_EW		0x1u
#define ISA_NPTB_NP		0x1u
#define ISA_VMID_MAX		255u
/* The intercept bit of privileged row op (opcodes 0x60 + i). */
#define ISA_ICPT_BIT(opcode)	(1u << ((opcode) - 0x60u))

/* I/O ports (in/out).  Any other port raises BUS with badva = the port. */
enum isa_port {
	ISA_PORT_CONS_DATA = 0x00,	/* w: transmit byte; r: pop byte or -1 */
	ISA_PORT_CONS_STATUS = 0x01,	/* r: ISA_CONS_* */
	ISA_PORT_CONS_CTRL = 0x02,	/* rw: bit 0 receive interrupt enable */
	ISA_PORT_DISK_SECTOR = 0x10,	/* rw: first sector */
	ISA_PORT_DISK_ADDR = 0x11,	/* rw: physical DMA address */
	ISA_PORT_DISK_COUNT = 0x12,	/* rw: number of sectors */
	ISA_PORT_DISK_CMD = 0x13,	/* w: ISA_DISK_CMD_*; r: 0 */
	ISA_PORT_DISK_STATUS = 0x14,	/* r: ISA_DISK_*; w: acknowledge */
	ISA_PORT_DISK_SIZE = 0x15,	/* r: disk size in sectors */
	ISA_PORT_POWER = 0x20,		/* w: power off, exit code = value & 0xff */
	ISA_PORT_MEMSIZE = 0x21,	/* r: bytes of physical RAM */
};
#define ISA_CONS_RXREADY	0x1u
#define ISA_CONS_TXREADY	0x2u
#define ISA_CONS_RXEOF		0x4u	/* input closed (raises the line too) */
#define ISA_CONS_CTRL_RXIE	0x1u
#define ISA_DISK_BUSY		0x1u
#define ISA_DISK_DONE		0x2u	/* the disk interrupt line */
#define ISA_DISK_ERROR		0x4u
#define ISA_DISK_CMD_READ	1u
#define ISA_DISK_CMD_WRITE	2u
#define ISA_SECTOR_SIZE		512u
#define ISA_DISK_LATENCY	1024u	/* ticks from command to completion */

/* Executable format: ELF32, little-endian, this machine number. */
#define ISA_ELF_MACHINE		0x5047u	/* "PG" */

/* --- The table's views ------------------------------------------------ */


/* Decode one instruction word.  Never fails: an undefined encoding gives
 * op == ISA_OP_ILLEGAL.  O(1) (a 256-entry opcode index). */
struct isa_insn isa_decode(uint32_t word);

/* Encode a decoded instruction.  Returns 0 and sets *word, or -1 if a field
 * does not fit its format (register > 15, immediate out of range, branch
 * offset not a multiple of 4...), with a static message in *why. */
int isa_encode(const struct isa_insn *in, uint32_t *word, const char **why);

/* Look up a mnemonic; returns ISA_OP_ILLEGAL if none. */
enum isa_op isa_lookup(const char *name, size_t len);

/* Register and control-register names: ABI name ("sp"), and the parsers
 * accept "r2" too.  Return -1 if unknown. */
const char *isa_reg_name(unsigned r);
int isa_reg_parse(const char *s, size_t len);
const char *isa_cr_name(unsigned cr);
int isa_cr_parse(const char *s, size_t len);
const char *isa_cause_name(unsigned cause);
/* "cons-data", "disk-cmd", "power"...; "none" for an unassigned port. */
const char *isa_port_name(uint32_t port);

/* Disassemble word at address pc into buf (always NUL-terminated).  Branch
 * and jump targets are printed as absolute addresses, through sym() when it
 * is non-NULL and returns a name for the address (then "name" or
 * "name+off").  The text assembles back to the same word.  Returns the
 * length written. */
typedef const char *isa_symbolizer(void *ctx, uint32_t addr, uint32_t *off);
int isa_disasm(uint32_t word, uint32_t pc, char *buf, size_t size,
	       isa_symbolizer *sym, void *ctx);

#endif /* PG32_H */
