/* SPDX-License-Identifier: ISC */
/*
 * A file on EriX, as the helpers' runtime reads it: an endpoint of the
 * filesystem provider that serves the file (e2fsd, fatd; in the kernel
 * model, rootd). One request, one reply, on that endpoint; no
 * capabilities either way.
 */
#ifndef HELPERS_RT_FILE_ERIX_H
#define HELPERS_RT_FILE_ERIX_H

#include <stdint.h>

#define RT_FILE_SIZE 1u /* -> value: the file's size in bytes */
#define RT_FILE_READ 2u /* length bytes at offset -> value: n, then n bytes (fewer at the end) */
#define RT_FILE_READ_MAX 4096u

struct rt_file_request {
	uint32_t op;     /* RT_FILE_* */
	uint32_t length; /* READ: at most RT_FILE_READ_MAX */
	uint64_t offset;
};

struct rt_file_reply {
	int32_t status;  /* 0, or -ERIX_E* */
	uint32_t reserved;
	uint64_t value;
};

#endif
