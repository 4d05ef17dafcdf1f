/* SPDX-License-Identifier: ISC */
/* A policy model from a file that is either a procd binary or a record. */
#include <string.h>
#include <stdlib.h>

#include "tools/policy_lock.h"
#include "tools/registry_file.h"

int model_load(struct policy_model *m, const char *path, struct elf_error *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	memset(m, 0, sizeof *m);
	if (elf_read_file(path, &buf, &len, err) != 0)
		return -1;
	if (len >= 4 && memcmp(buf, "\177ELF", 4) == 0) {
		struct registry_file rf;

		rc = registry_parse(&rf, buf, len, err);
		if (rc == 0) {
			rc = model_from_registry(m, &rf, err);
			registry_free(&rf);
		}
	} else if (len > LOCK_FILE_MAX) {
		elf_error_set(err, "not an ELF file, and at %zu bytes too large for a policy record"
			      " (at most %zu MiB)", len, LOCK_FILE_MAX >> 20);
		rc = -1;
	} else {
		rc = lock_parse(m, (const char *)buf, len, err);
	}
	free(buf);
	return rc;
}

