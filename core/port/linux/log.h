/* SPDX-License-Identifier: ISC */
/* procd's log on the hosted port (log.c). */
#ifndef PROCD_PORT_LINUX_LOG_H
#define PROCD_PORT_LINUX_LOG_H

/* Log lines naming a failed system call: "<what>: <strerror(err)>". */
void linux_log_errno(const char *what, int err);
void linux_log_step(const char *what, const char *step, int err);

/* procd's own non-blocking hold on stderr; before procd_init. */
int linux_log_init(void);
/* Whether fd is that hold: procd's, but no authority. */
int linux_log_owns(int fd);

#endif
