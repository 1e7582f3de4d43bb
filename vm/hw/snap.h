/*
 * snap.h - snapshot files: a machine's or a VM's whole state in one file,
 * versioned, checksummed and compressed (zlib), and the byte-level writer
 * and reader their state is serialised with.  vm/hw uses it for the bare
 * machine (hwsnap.c), vm/vmm for a VM (vm/vmm/vmsnap.c); both write the same
 * container, so one reader refuses every malformed file the same way.
 *
 * The file (all integers little-endian):
 *
 *   offset size
 *    0      8   magic "PG32SNAP"
 *    8      4   format version (SNAP_VERSION)
 *   12      4   kind: SNAP_BARE (a bare machine), SNAP_VM (a VM under the VMM)
 *               or SNAP_HOST (several VMs on one host: vm/vmm/hostsnap.c)
 *   16      4   guest RAM in MiB (SNAP_HOST: of all its VMs)
 *   20      4   CRC-32 of the zlib stream (checked before inflating it)
 *   24      8   length of the payload, uncompressed
 *   32      8   length of the zlib stream that follows the header
 *   40      4   CRC-32 of the uncompressed payload
 *   44      4   CRC-32 of bytes 0..43
 *   48      -   the payload, one zlib stream; the file ends with it
 *
 * The payload is a sequence of sections, each
 *
 *   4 bytes tag ("MACH", "RAM ", ...)   4 bytes length   the body
 *
 * in the order the kind defines (hwsnap.c, vm/vmm/vmsnap.c, vm/vmm/hostsnap.c).  A reader
 * wants the sections in that order, each body consumed exactly: a missing,
 * extra, short or long section is refused by name.
 *
 * Versions.  A change to any kind's sections is a new SNAP_VERSION, and a
 * reader refuses every other version by number (a section it does not
 * know would be refused anyway, less clearly):
 *
 *   1  the first format
 *   2  "WFI " (the wfi a run was cut in, vm/hw/hw.h) after "MACH" and after
 *      a VM's "VM  ": without it a snapshot taken inside wfi, on the tick
 *      a line rose, restored into an interrupt taken at the wfi
 *
 * Errors: every function taking err writes one line, naming the file, and
 * returns -1; nothing is half done.
 */
#ifndef HW_SNAP_H
#define HW_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SNAP_VERSION	2u
#define SNAP_HEADER	48u

enum snap_kind { SNAP_BARE = 1, SNAP_VM = 2, SNAP_HOST = 3 };

/* A growing byte buffer to serialise into.  An allocation failure sets
 * 'failed' and makes every later put a no-op. */
struct snap_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
	size_t sect;		/* offset of the open section's length */
};

void snap_put32(struct snap_buf *b, uint32_t v);
void snap_put64(struct snap_buf *b, uint64_t v);
void snap_put_bytes(struct snap_buf *b, const void *p, size_t n);
/* Append n bytes for the caller to fill: their address, or NULL (failed). */
uint8_t *snap_put_space(struct snap_buf *b, size_t n);
/* Open a section (tag: 4 characters); snap_end closes it (fills the
 * length in).  Sections do not nest. */
void snap_begin(struct snap_buf *b, const char tag[4]);
void snap_end(struct snap_buf *b);
void snap_buf_free(struct snap_buf *b);

/* A bounds-checked reader over a payload.  Reading past the end of the
 * current section sets 'bad' and yields zeros, so a parser reads on and
 * checks once. */
struct snap_rd {
	const uint8_t *p;
	size_t len, pos;
	size_t end;		/* end of the current section */
	bool bad;
	char what[128];		/* why it is bad, for "FILE: what" */
};

uint32_t snap_get32(struct snap_rd *r);
uint64_t snap_get64(struct snap_rd *r);
/* A pointer to the next n bytes of the section (NULL if there are fewer). */
const uint8_t *snap_get_bytes(struct snap_rd *r, size_t n);
/* Enter the next section, which must have this tag.  false (and bad) if
 * it does not, or the previous one was not consumed exactly. */
bool snap_section(struct snap_rd *r, const char tag[4]);
/* Close the current section: false (and bad) unless it was consumed
 * exactly. */
bool snap_section_end(struct snap_rd *r);
/* Mark the reader bad: "corrupt snapshot (what)" (a value out of range),
 * or why, as is (a snapshot that is fine but does not fit, e.g. its disk
 * and the one given).  The first reason given stays. */
void snap_invalid(struct snap_rd *r, const char *what);
void snap_refuse(struct snap_rd *r, const char *why);
/* After the last section: true if the reader is good and at the end. */
bool snap_done(struct snap_rd *r);

/* Write the payload b as a snapshot file of this kind and guest RAM size.
 * The file is written under a temporary name and renamed, so a failed
 * save leaves an existing file as it was. */
int snap_write_file(const char *path, enum snap_kind kind, uint32_t mem_mib,
		    const struct snap_buf *b, char *err, size_t errsize);

/* What a snapshot's header says. */
struct snap_info {
	enum snap_kind kind;
	uint32_t mem_mib;
	uint64_t raw_len, z_len;
};

/* Check a snapshot held in memory (a whole file, len bytes) and
 * decompress its payload into *payload (malloc'ed, *plen bytes; the
 * caller frees it).  'name' names the file in errors.  Refuses a bad
 * magic, another version, a kind other than 'want' (0: any), a header or
 * payload whose checksum does not match, a truncated or overlong file. */
int snap_open_mem(const char *name, const uint8_t *file, size_t len, enum snap_kind want,
		  struct snap_info *info, uint8_t **payload, size_t *plen, char *err,
		  size_t errsize);
/* The same, reading the file at path. */
int snap_open_file(const char *path, enum snap_kind want, struct snap_info *info,
		   uint8_t **payload, size_t *plen, char *err, size_t errsize);

/* What a kind of snapshot (the bare machine, a VM) gives the two helpers
 * below, which hold the steps every kind shares. */
struct snap_ops {
	enum snap_kind kind;
	const char *noun;	/* "machine", "VM": for "a snapshot of a 16 MiB VM" */
	/* Append the state to b: 0, or -1 with a message in why. */
	int (*save)(const void *obj, struct snap_buf *b, char *why, size_t whysize);
	/* Make a fresh object with mib MiB of RAM into *obj: 0, or -1. */
	int (*make)(const void *cfg, uint32_t mib, void **obj, char *why, size_t whysize);
	/* Load the payload into the fresh object (snap_rd's rules). */
	bool (*load)(void *obj, struct snap_rd *r, const uint8_t **disk_image);
	/* The last step: write the disk's contents (0, or -1 with why). */
	int (*commit)(void *obj, const uint8_t *disk_image, char *why, size_t whysize);
	void (*discard)(void *obj);
};

/* Save obj (of mib MiB) to path: 0, or -1 with "PATH: why" in err. */
int snap_save(const struct snap_ops *ops, const void *obj, uint32_t mib, const char *path,
	      char *err, size_t errsize);
/* Restore: read and check path, refuse a memory size other than want_mib
 * (0: any), make a fresh object from cfg, load it, commit.  0 and *out, or
 * -1 with one line naming the file in err and no object left. */
int snap_restore(const struct snap_ops *ops, const void *cfg, uint32_t want_mib,
		 const char *path, void **out, char *err, size_t errsize);

/* The same from a payload held in memory (what ops->save appended to a
 * snap_buf: checkpoints), of mib MiB; name names it in errors. */
int snap_restore_payload(const struct snap_ops *ops, const void *cfg, uint32_t mib,
			 const char *name, const uint8_t *payload, size_t plen, void **out,
			 char *err, size_t errsize);

/* "a snapshot of a bare machine" / "of a VM", for messages. */
const char *snap_kind_name(enum snap_kind k);

#endif /* HW_SNAP_H */
