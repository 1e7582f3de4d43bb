/*
 * pg32-as - the PG32 assembler's command line.
 *
 *   pg32-as [-o out.elf] [-l listing] [-I dir]... [--include-root DIR]
 *           [-Ttext ADDR] [-Tdata ADDR] a.s ...
 *
 * Exit status: 0 success, 1 assembly errors (no output file is left
 * behind), 2 usage errors.
 */
#include "asm.h"
#include "version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: pg32-as [-o out.elf] [-l listing] [-I dir]... [--include-root DIR] "
	      "[-Ttext ADDR] [-Tdata ADDR] file.s...\n"
	      "  -o FILE      write the executable to FILE (default a.out)\n"
	      "  -l FILE      write a listing (address, bytes, source) to FILE\n"
	      "  -I DIR       search DIR for .include files\n"
	      "  --include-root DIR\n"
	      "               .include reads only files inside DIR (a grader confines\n"
	      "               a submission to its own tree)\n"
	      "  -Ttext ADDR  address of .text (default 0x1000)\n"
	      "  -Tdata ADDR  address of .data (default: next 4 KiB boundary after .text)\n"
	      "  --help, --version\n", f);
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("pg32-as: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	usage(stderr);
	return 2;
}

static int parse_addr(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v > 0xffffffffu || *s == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Write the image beside out and rename it into place. */
static int write_output(const char *out, const uint8_t *elf, size_t size)
{
	size_t n = strlen(out);
	char *tmp = malloc(n + 16);
	int fd, ok;
	FILE *f;

	if (!tmp)
		return -1;
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", out);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "wb"))) {
		fprintf(stderr, "pg32-as: cannot create %s: %s\n", out, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	ok = fwrite(elf, 1, size, f) == size;
	ok = (fclose(f) == 0) && ok;
	ok = ok && chmod(tmp, 0755) == 0 && rename(tmp, out) == 0;
	if (!ok) {
		fprintf(stderr, "pg32-as: cannot write %s: %s\n", out, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

static int run(int argc, char **argv, const char **inc, const char **files)
{
	struct asm_options o = { 0 };
	const char *out = "a.out", *list = NULL;
	unsigned nfiles = 0;
	uint8_t *elf;
	size_t size;
	int errors;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		if (!strcmp(arg, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(arg, "--version")) {
			puts("pg32-as (vmlab) " VMLAB_VERSION);
			return 0;
		}
		if (arg[0] != '-' || !arg[1]) {
			files[nfiles++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			while (++i < argc)
				files[nfiles++] = argv[i];
			break;
		}
		const char *opts[] = { "-Ttext", "-Tdata", "-o", "-l", "-I", "--include-root" };
		size_t k;
		for (k = 0; k < 6; k++) {
			size_t l = strlen(opts[k]);
			if (!strncmp(arg, opts[k], l) && (k < 5 || !arg[l] || arg[l] == '=')) {
				val = arg[l] ? arg + l + (arg[l] == '=') : (i + 1 < argc ? argv[++i] : NULL);
				break;
			}
		}
		if (k == 6)
			return bad_usage("unknown option '%s'", arg);
		if (!val)
			return bad_usage("option '%s' needs an argument", arg);
		if (k == 0 && parse_addr(val, &o.text_base))
			return bad_usage("bad -Ttext address '%s'", val);
		if (k == 1 && parse_addr(val, &o.data_base))
			return bad_usage("bad -Tdata address '%s'", val);
		if (k == 2)
			out = val;
		if (k == 3)
			list = val;
		if (k == 4)
			inc[o.ninclude++] = val;
		if (k == 5)
			o.include_root = val;
	}
	if (!nfiles)
		return bad_usage("%s", "no input files");
	o.include_dirs = inc;
	if (list && !(o.listing = fopen(list, "w"))) {
		fprintf(stderr, "pg32-as: cannot create %s: %s\n", list, strerror(errno));
		return 1;
	}
	errors = asm_files(&o, files, nfiles, &elf, &size);
	if (o.listing)
		fclose(o.listing);
	if (errors || write_output(out, elf, size)) {
		unlink(out);	/* no stale output of an earlier run */
		free(elf);
		return 1;
	}
	free(elf);
	return 0;
}

int main(int argc, char **argv)
{
	const char **inc = calloc((size_t)argc, sizeof *inc);
	const char **files = calloc((size_t)argc, sizeof *files);
	int rc = inc && files ? run(argc, argv, inc, files) : 1;

	free(inc);
	free(files);
	return rc;
}
