#ifndef TEPROV_SUPPORT_H
#define TEPROV_SUPPORT_H

/* Asks the processor to fetch the cache line holding `address`: hash tables of a million entries miss the
 * cache on nearly every probe, and a probe prefetched a few keys ahead overlaps those misses instead of
 * waiting for each in turn. A hint only: it never faults and has no other effect. */
static inline void teprov_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
