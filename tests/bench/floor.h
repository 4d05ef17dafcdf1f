/* SPDX-License-Identifier: ISC */
/*
 * The spawn floor: what procd's hosted spawn is made of, done directly by
 * the bench with nothing of procd around it. clone(CLONE_VM|CLONE_VFORK|
 * CLONE_PIDFD), the child's endpoint at its slot, execveat of an image
 * descriptor, the pidfd waited on in an epoll and collected with waitid.
 *
 * Each of procd's further child-side steps is one flag, so the bench can
 * show what each costs; a new step procd's children take is one more flag
 * here and one more variant in the table floor.c prints.
 */
#ifndef TESTS_BENCH_FLOOR_H
#define TESTS_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

enum floor_step {
	/* The image lifted above the window and every descriptor but stdio,
	 * the slots and the image closed (procd's close_range passes). */
	FLOOR_PLACE = 1u << 0,
	/* RLIMIT_NOFILE set to the window, the signal mask cleared. */
	FLOOR_RLIMIT = 1u << 1,
	/* Its own session, the death signal tied to the bench, the parent
	 * checked alive. */
	FLOOR_SESSION = 1u << 3,
	/* A Landlock domain whose only rule is the image, where the kernel
	 * has Landlock (procd's children take one there, and skip it where
	 * not, as this does). */
	FLOOR_LANDLOCK = 1u << 4,
	/* no_new_privs and a seccomp filter of the child's own. Not one of
	 * procd's steps: its children inherit the spawner's filter, attached
	 * once; the variant shows what that saves each spawn. */
	FLOOR_OWN_FILTER = 1u << 2,
};
#define FLOOR_ALL (FLOOR_PLACE | FLOOR_RLIMIT | FLOOR_SESSION | FLOOR_LANDLOCK) /* every step procd's child takes */

struct spawn_floor {
	int image; /* the child's image, open */
	int epoll; /* one epoll for every pidfd, as procd has */
};

/* Opens image_path; dies on failure. */
void floor_open(struct spawn_floor *f, const char *image_path);
void floor_close(struct spawn_floor *f);

/* One spawn taking `steps`, to its exit collected: nanoseconds. */
uint64_t floor_spawn_once(const struct spawn_floor *f, unsigned steps);

/* The median of n spawns with every step procd takes: the floor. */
double floor_us(const struct spawn_floor *f, size_t n);

/* The variants, cheapest first, for the breakdown the spawn section prints. */
struct floor_variant {
	const char *what;
	unsigned steps;
};
extern const struct floor_variant floor_variants[];
extern const size_t floor_nvariants;

#endif
