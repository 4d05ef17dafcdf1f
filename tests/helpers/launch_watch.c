/* SPDX-License-Identifier: ISC */
/*
 * Watching the helper: its stderr, copied to ours and kept for -w, and
 * what /proc says it holds.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/helpers/launch.h"

#define STDERR_KEEP 65536

static char said[STDERR_KEEP + 1];
static size_t said_len;

/* ----------------------------------------------------- the helper's stderr */

/* Copy what the helper has written to our stderr and keep it for -w.
 * Returns 0 at end of file. */
int relay_once(void)
{
	char buf[4096];
	ssize_t n;

	do
		n = read(err_fd, buf, sizeof buf);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("reading the helper's stderr: %s", strerror(errno));
	if (n > 0) {
		(void)fwrite(buf, 1, (size_t)n, stderr);
		size_t keep = (size_t)n < STDERR_KEEP - said_len ? (size_t)n : STDERR_KEEP - said_len;
		memcpy(said + said_len, buf, keep);
		said_len += keep;
		said[said_len] = '\0';
	}
	return n > 0;
}

void wait_for_text(const char *text)
{
	while (strstr(said, text) == NULL)
		if (!relay_once())
			fail("the helper closed stderr without saying '%s'", text);
}

/* ------------------------------------------------------ /proc inspection */

/* The helper holds exactly the placed descriptors and, when extra is not
 * NULL, one more: the socket extra describes (one it was sent). */
void check_fds(const struct stat *extra)
{
	int want[MAX_PLACED + 1], have[MAX_PLACED + 64];
	size_t nwant = 0, nhave = 0;
	char path[64];
	DIR *d;
	struct dirent *e;
	int extra_fd = -1;

	for (size_t i = 0; i < nplaced; i++)
		want[nwant++] = placed[i].dst;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)child);
	if ((d = opendir(path)) == NULL)
		fail("%s: %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (nhave == sizeof have / sizeof have[0])
			fail("%s: more descriptors than it was given", path);
		have[nhave++] = atoi(e->d_name);
	}
	closedir(d);

	/* The extra one: the descriptor that is none of the placed ones and
	 * that names the socket sent. */
	if (extra != NULL) {
		for (size_t i = 0; i < nhave && extra_fd < 0; i++) {
			char link[96];
			struct stat st;

			if (placed_at((unsigned)have[i]) != NULL)
				continue;
			snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)child, have[i]);
			if (stat(link, &st) == 0 && st.st_dev == extra->st_dev && st.st_ino == extra->st_ino)
				extra_fd = have[i];
		}
		if (extra_fd >= 0)
			want[nwant++] = extra_fd;
	}
	qsort(want, nwant, sizeof want[0], cmp_int);
	qsort(have, nhave, sizeof have[0], cmp_int);

	if (nhave != nwant || memcmp(have, want, nwant * sizeof want[0]) != 0 ||
	    (extra != NULL && extra_fd < 0)) {
		fprintf(stderr, "helper-launch: %s: descriptors wanted:", name);
		for (size_t i = 0; i < nwant; i++)
			fprintf(stderr, " %d", want[i]);
		if (extra != NULL && extra_fd < 0)
			fprintf(stderr, " and the socket it was sent");
		fprintf(stderr, "; held:");
		for (size_t i = 0; i < nhave; i++)
			fprintf(stderr, " %d", have[i]);
		fputc('\n', stderr);
		fail("the helper holds other descriptors than it was granted");
	}
}

void check_proc(unsigned window)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	check_fds(NULL);
	snprintf(path, sizeof path, "/proc/%d/limits", (int)child);
	if ((f = fopen(path, "re")) == NULL)
		fail("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned soft, hard;

		if (sscanf(line, "Max open files %u %u", &soft, &hard) == 2) {
			if (soft != window || hard != window)
				fail("window is %u/%u, expected %u", soft, hard, window);
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		fail("%s has no 'Max open files' line", path);
	printf("%s: holds exactly %zu descriptors, window %u\n", name, nplaced, window);
}
