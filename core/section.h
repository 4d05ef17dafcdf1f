/* SPDX-License-Identifier: ISC */
/*
 * Link-time sets: const descriptors gathered by the linker into one named
 * section, walked from __start_<sec> to __stop_<sec>.
 *
 * Why each attribute is here:
 *  - used/retain: nothing references an entry by name, so without them the
 *    compiler (LTO) or the linker (--gc-sections) would drop it;
 *  - aligned(PROCD_SET_ALIGN) on a type whose size is a multiple of it: the
 *    linker then places entries back to back, and iteration can never step
 *    into padding (gcc raises the alignment of large objects on its own
 *    unless the user fixed it);
 *  - sanitizers do not instrument objects in named sections, so AddressSanitizer
 *    adds no redzones between entries.
 * The start/stop symbols are weak so that an empty set still links.
 */
#ifndef PROCD_CORE_SECTION_H
#define PROCD_CORE_SECTION_H

#define PROCD_SET_ALIGN 64

#if defined(__has_attribute)
#if __has_attribute(retain)
#define PROCD_RETAIN __attribute__((retain))
#endif
#endif
#ifndef PROCD_RETAIN
#define PROCD_RETAIN
#endif

#define PROCD_SET_ENTRY(set)                                                   \
	__attribute__((used, section(#set), aligned(PROCD_SET_ALIGN)))         \
	PROCD_RETAIN

#define PROCD_SET_BOUNDS(type, set)                                            \
	extern const type __start_##set[] __attribute__((weak));               \
	extern const type __stop_##set[] __attribute__((weak))

#endif
