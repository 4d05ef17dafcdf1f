/* SPDX-License-Identifier: ISC */
/*
 * The plain replay driver: runs a fuzz target's LLVMFuzzerTestOneInput over
 * every file named on the command line, and every regular file directly in
 * each directory named, the way libFuzzer runs a corpus but without
 * libFuzzer, so any compiler (gcc included) builds it and make check runs
 * it. Linked with one target's entry file; a target that finds a bug
 * aborts, which fails the test.
 *
 *   replay-elf CORPUS-DIR-OR-FILE...
 *
 * Exits 0 after replaying at least one input, 1 if there was nothing to
 * replay or an input could not be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs are small (the corpus is a few KB); larger files are not inputs. */
#define REPLAY_MAX_INPUT (16u << 20)

static int replay_file(const char *path, unsigned *count)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0;
	long end;

	errno = 0;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 || (unsigned long)end > REPLAY_MAX_INPUT ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto fail;
	len = (size_t)end;
	/* At least one byte, so a zero-length input still has an address. */
	if (!(buf = malloc(len ? len : 1)) || fread(buf, 1, len, f) != len)
		goto fail;
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	++*count;
	return 0;
fail:
	fprintf(stderr, "replay: cannot read %s: %s\n", path, errno ? strerror(errno) : "too large");
	if (f)
		fclose(f);
	free(buf);
	return -1;
}

static int replay_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
			rc = -1;
			continue;
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path, count) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count) : replay_file(argv[i], &count)) {
			rc = -1;
		}
	}
	if (count == 0) {
		fprintf(stderr, "replay: no inputs replayed\n");
		return 1;
	}
	printf("replay: %u inputs, no finding\n", count);
	return rc == 0 ? 0 : 1;
}
