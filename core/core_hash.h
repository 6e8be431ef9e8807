/*
 * core_hash.h - the one byte hash and the one hash set of the project.
 *
 * core_hset is an open-addressing set of 32-bit ids whose keys the
 * caller holds (in its own records, or in a core_strmap's arena): a
 * slot keeps the key's 64-bit hash and the id, and the caller's eq
 * function compares a key with the key of an id, so that a set of a
 * million 32-byte keys costs 16 bytes a slot and never copies a key.
 */
#ifndef CORE_HASH_H
#define CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_mem.h"

/* A hash of s[0..n) (FNV-1a, then splitmix64's finalizer so that every
 * bit is mixed), never 0. */
uint64_t core_hash_bytes(const void *s, size_t n);

struct core_hset_slot {
	uint64_t h;
	uint32_t id1; /* the id + 1; 0: an empty slot */
};

struct core_hset {
	struct core_hset_slot *slot;
	size_t cap, n;
};

#define CORE_HSET_INIT                                                         \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Whether key[0..len) is the key of id (ctx is the caller's). */
typedef int (*core_hset_eq_fn)(const void *ctx, uint32_t id, const void *key,
			       size_t len);

/*
 * The id whose key equals key[0..len), or -1.  h is the key's hash, as
 * the caller hashes its keys (the same way every time: core_hash_bytes,
 * or the first bytes of keys that are hashes already).  eq is called
 * only for ids stored with the same hash.
 */
long core_hset_find(const struct core_hset *s, uint64_t h, const void *key,
		    size_t len, core_hset_eq_fn eq, const void *ctx);
/* The id already holding key (hash h), or -1 after adding id for it. */
long core_hset_add(struct core_hset *s, uint64_t h, uint32_t id,
		   const void *key, size_t len, core_hset_eq_fn eq,
		   const void *ctx);
/* Free the slots; s is then empty and may be used again. */
void core_hset_release(struct core_hset *s);

/*
 * core_strmap: byte-string keys (copied into the map) to int32 values,
 * on a core_hset.  Initialise with CORE_STRMAP_INIT (or zero it);
 * release with core_strmap_release.
 */
struct core_strmap {
	struct core_hset set;
	struct core_buf keys; /* every key, each followed by a NUL */
	size_t *off;	      /* key i is keys.s[off[i]..off[i + 1] - 1) */
	int32_t *val;
	size_t n, cap;
};

#define CORE_STRMAP_INIT                                                       \
	{                                                                      \
		CORE_HSET_INIT, CORE_BUF_INIT, NULL, NULL, 0, 0                \
	}

/* The value of key k[0..len), or -1 when it is not in the map. */
int32_t core_strmap_get(const struct core_strmap *m, const char *k, size_t len);
/* Put k with value val unless it is there; returns the value held. */
int32_t core_strmap_put(struct core_strmap *m, const char *k, size_t len,
			int32_t val);
void core_strmap_release(struct core_strmap *m);

#endif
