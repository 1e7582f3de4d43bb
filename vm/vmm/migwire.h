/*
 * migwire.h - the migration stream's records (MIGRATION.md), shared by the
 * source (migrate.c) and the destination (migrecv.c).
 */
#ifndef VMM_MIGWIRE_H
#define VMM_MIGWIRE_H

#include "migrate.h"

#define MW_PREAMBLE	12u		/* "PG32MIGR" and the version */
#define MW_HEADER	12u		/* tag, length, CRC-32 */
#define MW_MAX_RECORD	(UINT32_C(1) << 31)

struct mig_wire {
	const struct mig_io *io;
	uint64_t bytes;		/* sent and received */
	char lost[160];		/* why the channel failed, if it did */
};

/* Send our preamble / read and check the peer's: 0, or -1 with err ("not
 * a vmlab migration stream", "version N, this vmlab speaks 1", or the
 * channel's failure). */
int mw_send_preamble(struct mig_wire *w);
int mw_recv_preamble(struct mig_wire *w, char *err, size_t errsize);

/* Send one record (tag: 4 characters): 0, or -1 (w->lost says why). */
int mw_send(struct mig_wire *w, const char tag[4], const void *body, size_t len);
/* A record whose body is two parts (a header and a page). */
int mw_send2(struct mig_wire *w, const char tag[4], const void *a, size_t alen, const void *b,
	     size_t blen);

enum mw_result { MW_OK, MW_LOST, MW_CORRUPT };
/* Receive one record: its tag (NUL-terminated), its body (malloc'ed, the
 * caller frees; NULL when empty) and length.  MW_LOST: the channel ended or
 * failed (w->lost); MW_CORRUPT: the record is malformed (err says how). */
enum mw_result mw_recv(struct mig_wire *w, char tag[5], uint8_t **body, size_t *len, char *err,
		       size_t errsize);

uint32_t mw_ld32(const uint8_t *p);
void mw_st32(uint8_t *p, uint32_t v);
/* Host milliseconds, monotonic (for the reports; never for decisions). */
double mw_now_ms(void);

#endif /* VMM_MIGWIRE_H */
