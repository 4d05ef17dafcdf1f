/* SPDX-License-Identifier: ISC */
/*
 * helper-launch's parts (tests/helpers/launch.c has its usage): what it
 * knows of the helpers, the descriptors it places, and the jobs of its
 * files: placing and starting the child (launch_child.c), watching it
 * (launch_watch.c), playing its peers (launch_peers.c).
 */
#ifndef PROCD_TESTS_HELPERS_LAUNCH_H
#define PROCD_TESTS_HELPERS_LAUNCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

enum kind {
	SERVE,  /* waits on its endpoint for EXIT */
	FAULT,  /* crashes */
	PROBE,  /* notifies on SLOT_PROBE_NOTIFY */
	LOOKUP, /* asks named */
	TIME,   /* asks the kernel time endpoint */
	IRQ,    /* asks the kernel IRQ endpoint */
	NAMED,  /* publishes to procd on slot 17, then serves its endpoint */
	DEVICED, /* stages drv-serial through slot 2112, then serves */
};

#define MAX_SLOTS 4

struct helper {
	const char *name;
	enum kind kind;
	unsigned window;
	/* The slots granted beside SLOT_SELF_ENDPOINT, 0 ending the list;
	 * slots[0] is the one the helper needs, which -n leaves out. */
	unsigned slots[MAX_SLOTS];
};

/* The messages sent on the helper's endpoint before the action. */
struct step {
	int opt; /* 'L', 'c', 'q' or 'r' */
	const char *arg;
};

#define MAX_STEPS 16

enum action { ACT_EOF, ACT_EXIT, ACT_MALFORMED, ACT_CAPABILITY };

#define MAX_PLACED 16 /* stdio, the slots, the leaks */
#define MAX_LEAKS 8

/* One descriptor the child gets: src (in the launcher) placed at dst. */
struct placed {
	int dst;
	int src;  /* the child's end, lifted above every dst */
	int peer; /* the launcher's end, or -1 */
	dev_t dev; /* what src is, to recognise it when it comes back */
	ino_t ino;
};

/* The helper's name (the launcher's until it is known), its pid while it
 * runs, and what it was given. */
extern const char *name;
extern pid_t child;
extern struct placed placed[MAX_PLACED];
extern size_t nplaced;
extern int err_fd; /* read end of the helper's stderr */

/* Says what went wrong, kills the helper and exits with status. */
_Noreturn void failx(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define fail(...) failx(1, __VA_ARGS__)
/* s as a number from lo to hi, or a usage error naming what. */
int number(const char *s, long lo, long hi, const char *what);
int cmp_int(const void *a, const void *b);

/* launch_child.c */
int lift(int fd, int floor);
void place(int dst, int src, int peer);
const struct placed *placed_at(unsigned dst);
int peer_of(unsigned dst);
/* What the child reports on the status pipe when setting up fails. */
struct setup_error {
	int step; /* 1 dup2, 2 close-on-exec, 3 setrlimit, 4 execve */
	int err;
};
_Noreturn void child_run(const char *path, unsigned window, int status_fd);

/* launch_watch.c */
int relay_once(void);
void wait_for_text(const char *text);
void check_fds(const struct stat *extra);
void check_proc(unsigned window);

/* launch_peers.c */
void check_quiet(int fd, unsigned slot);
void serve_exit(int ep, enum action action, int code);
void receive_probe(int fd);
void serve_request(const struct helper *h, int fd, uint32_t status, int zero_time);
void serve_publishes(int procd, uint32_t status);
void serve_devices(int kernel);
void serve_driver(int procd, uint32_t status, uint32_t start_status);
void send_steps(const struct step *steps, size_t nsteps, int self, int procd, uint32_t status);

#endif
