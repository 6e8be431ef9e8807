#include "core/core_hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t core_hash_bytes(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}

/* The slot of key (hash h): the one holding it, or the empty one where
 * it would go.  s->cap is a power of two, never full. */
static struct core_hset_slot *slot_of(const struct core_hset *s, uint64_t h,
				      const void *key, size_t len,
				      core_hset_eq_fn eq, const void *ctx)
{
	size_t m = s->cap - 1, i;

	for (i = h & m;; i = (i + 1) & m) {
		struct core_hset_slot *sl = &s->slot[i];
		if (!sl->id1 || (sl->h == h && eq(ctx, sl->id1 - 1, key, len)))
			return sl;
	}
}

long core_hset_find(const struct core_hset *s, uint64_t h, const void *key,
		    size_t len, core_hset_eq_fn eq, const void *ctx)
{
	const struct core_hset_slot *sl;

	if (!s->cap)
		return -1;
	sl = slot_of(s, h, key, len, eq, ctx);
	return sl->id1 ? (long)sl->id1 - 1 : -1;
}

/* Twice the room (at least 1024 slots), the slots placed again. */
static void grow(struct core_hset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, k;
	struct core_hset_slot *ns = xcalloc(cap, sizeof(*ns));

	for (i = 0; i < s->cap; i++) {
		if (!s->slot[i].id1)
			continue;
		for (k = s->slot[i].h & (cap - 1); ns[k].id1;
		     k = (k + 1) & (cap - 1))
			;
		ns[k] = s->slot[i];
	}
	free(s->slot);
	s->slot = ns;
	s->cap = cap;
}

long core_hset_add(struct core_hset *s, uint64_t h, uint32_t id,
		   const void *key, size_t len, core_hset_eq_fn eq,
		   const void *ctx)
{
	struct core_hset_slot *sl;

	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	sl = slot_of(s, h, key, len, eq, ctx);
	if (sl->id1)
		return (long)sl->id1 - 1;
	sl->h = h;
	sl->id1 = id + 1;
	s->n++;
	return -1;
}

void core_hset_release(struct core_hset *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static int strmap_eq(const void *ctx, uint32_t id, const void *key, size_t len)
{
	const struct core_strmap *m = ctx;

	return m->off[id + 1] - m->off[id] - 1 == len &&
	       memcmp(m->keys.s + m->off[id], key, len) == 0;
}

int32_t core_strmap_get(const struct core_strmap *m, const char *k, size_t len)
{
	long id = core_hset_find(&m->set, core_hash_bytes(k, len), k, len,
				 strmap_eq, m);

	return id < 0 ? -1 : m->val[id];
}

int32_t core_strmap_put(struct core_strmap *m, const char *k, size_t len,
			int32_t val)
{
	size_t cap = m->cap;
	long id;

	/* the new key is off[n]..off[n + 1] while it is looked for */
	xgrow((void **)&m->off, &m->cap, m->n + 2, sizeof(*m->off));
	if (m->cap != cap)
		m->val = xrealloc(m->val, m->cap * sizeof(*m->val));
	m->off[m->n] = m->keys.len;
	core_buf_add(&m->keys, k, len);
	core_buf_addc(&m->keys, '\0');
	m->off[m->n + 1] = m->keys.len;
	id = core_hset_add(&m->set, core_hash_bytes(k, len), (uint32_t)m->n, k,
			   len, strmap_eq, m);
	if (id >= 0) {
		m->keys.len = m->off[m->n]; /* not kept */
		return m->val[id];
	}
	m->val[m->n++] = val;
	return val;
}

void core_strmap_release(struct core_strmap *m)
{
	core_hset_release(&m->set);
	core_buf_release(&m->keys);
	free(m->off);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
