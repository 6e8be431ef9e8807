/*
 * geo_ch.c - contraction hierarchy and PHAST over a geo_net graph; see
 * geo_ch.h.
 *
 * Contraction.  Nodes are taken out one at a time, least important first
 * (edge difference: the shortcuts taking a node out would add, less the
 * edges it removes, plus its neighbours already taken out; recomputed
 * when a node comes to the top, and put back when it has grown past the
 * next one).  Taking out v adds a shortcut u -> w, costing
 * c(u,v) + c(v,w), for each pair of its remaining in- and out-neighbours
 * unless a witness search (a Dijkstra from u avoiding v, cut off after a
 * few hundred nodes, or 50 when only estimating) finds a path no
 * longer.  A missed witness only adds
 * a needless shortcut; the distances stay exact.  When v is taken out,
 * its remaining edges are the hierarchy's edges at v, all to nodes taken
 * out later (above it).
 *
 * Layout.  Nodes are numbered by position, 0 the last taken out (the
 * top).  For each position p: A(p), the edges p -> q with q above p, and
 * B(p), the edges q -> p with q above p, each with q's position.  From
 * an origin (paths origin -> node): Dijkstra over A from the origin's
 * seeds, then for p = 0 .. n-1, d(p) = min(d(p), d(q) + c) over B(p).
 * Towards an origin (node -> origin) the two swap.
 *
 * Restricted sweeps (RPHAST).  The targets are known before the searches,
 * so the sweep runs only over the nodes with a path down the hierarchy to
 * a target's segment end, renumbered 0 .. L-1 in the same order (a quarter
 * of the bench county's driving graph for 22,000 targets); the upward
 * search's labels are copied in before it.
 */
#include "geo/geo_ch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

/* ---- contraction ---------------------------------------------------- */

struct dedge {
	uint32_t to;
	double c;
};

struct dlist {
	struct dedge *v;
	uint32_t n, cap;
};

/* A binary min-heap of (cost, node), ties to the smaller node. */
struct wh {
	double c;
	uint32_t v;
};

struct heap {
	struct wh *v;
	size_t n, cap;
};

struct ctr {
	size_t n;
	struct dlist *out, *in;
	unsigned char *done;
	uint32_t *deleted; /* neighbours taken out */
	long *prio;
	/* witness searches */
	double *dist;
	uint32_t *ver, *sver, cur;
	uint32_t *tmark, tcur; /* the targets of the current search */
	struct heap wit;
	/* the priority queue: (priority, node) */
	struct heap pq;
	size_t shortcuts;
};

/* Settled nodes after which a witness search gives up. */
#ifndef WITNESS_SETTLE
#define WITNESS_SETTLE 400
#endif
/* The same when only estimating a node's priority. */
#ifndef SIM_SETTLE
#define SIM_SETTLE 50
#endif

static void dlist_push(struct dlist *l, uint32_t to, double c)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].to = to;
	l->v[l->n].c = c;
	l->n++;
}

/* Drop the entry for node to from l (there is at most one). */
static void dlist_drop(struct dlist *l, uint32_t to)
{
	uint32_t j;

	for (j = 0; j < l->n; j++)
		if (l->v[j].to == to) {
			l->v[j] = l->v[--l->n];
			return;
		}
}

/* u -> w at cost c, or the existing edge lowered to c: 1 when new. */
static int add_edge(struct ctr *k, uint32_t u, uint32_t w, double c)
{
	struct dlist *o = &k->out[u], *i = &k->in[w];
	uint32_t j;

	for (j = 0; j < o->n; j++)
		if (o->v[j].to == w) {
			if (c < o->v[j].c) {
				o->v[j].c = c;
				for (j = 0; j < i->n; j++)
					if (i->v[j].to == u)
						i->v[j].c = c;
			}
			return 0;
		}
	dlist_push(o, w, c);
	dlist_push(i, u, c);
	return 1;
}

static int wless(const struct wh *a, const struct wh *b)
{
	return a->c < b->c || (a->c == b->c && a->v < b->v);
}

static void heap_push(struct heap *h, double c, uint32_t v)
{
	size_t i;

	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 256;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	i = h->n++;
	h->v[i].c = c;
	h->v[i].v = v;
	while (i > 0 && wless(&h->v[i], &h->v[(i - 1) / 2])) {
		struct wh t = h->v[i];

		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct wh heap_pop(struct heap *h)
{
	struct wh top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct wh t;

		if (l < h->n && wless(&h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && wless(&h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			break;
		t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return top;
}

/* Distances from u over the remaining graph without v, up to bound: in
 * k->dist where k->ver == k->cur. */
static void witness(struct ctr *k, uint32_t u, uint32_t v, double bound,
		    int most, uint32_t left)
{
	int settled = 0;

	if (++k->cur == 0) {
		memset(k->ver, 0, k->n * sizeof(*k->ver));
		memset(k->sver, 0, k->n * sizeof(*k->sver));
		k->cur = 1;
	}
	k->wit.n = 0;
	k->dist[u] = 0;
	k->ver[u] = k->cur;
	heap_push(&k->wit, 0, u);
	while (k->wit.n) {
		struct wh e = heap_pop(&k->wit);
		const struct dlist *o;
		uint32_t j;

		if (k->sver[e.v] == k->cur)
			continue;
		if (e.c > bound || ++settled > most)
			break;
		k->sver[e.v] = k->cur;
		/* every target settled: nothing more to learn */
		if (k->tmark[e.v] == k->tcur && --left == 0)
			break;
		o = &k->out[e.v];
		for (j = 0; j < o->n; j++) {
			uint32_t y = o->v[j].to;
			double nc = e.c + o->v[j].c;

			if (k->done[y] || y == v || nc > bound)
				continue;
			if (k->ver[y] != k->cur || nc < k->dist[y]) {
				k->dist[y] = nc;
				k->ver[y] = k->cur;
				heap_push(&k->wit, nc, y);
			}
		}
	}
}

/* The shortcuts taking v out needs; added when apply. */
static long contract(struct ctr *k, uint32_t v, int apply)
{
	long added = 0;
	uint32_t i, j;

	for (i = 0; i < k->in[v].n; i++) {
		uint32_t u = k->in[v].v[i].to;
		double cuv = k->in[v].v[i].c, bound = -1;
		uint32_t left = 0;

		if (k->done[u] || u == v)
			continue;
		if (++k->tcur == 0) {
			memset(k->tmark, 0, k->n * sizeof(*k->tmark));
			k->tcur = 1;
		}
		for (j = 0; j < k->out[v].n; j++) {
			uint32_t w = k->out[v].v[j].to;

			if (k->done[w] || w == v || w == u)
				continue;
			if (cuv + k->out[v].v[j].c > bound)
				bound = cuv + k->out[v].v[j].c;
			if (k->tmark[w] != k->tcur) {
				k->tmark[w] = k->tcur;
				left++;
			}
		}
		if (bound < 0)
			continue;
		witness(k, u, v, bound, apply ? WITNESS_SETTLE : SIM_SETTLE,
			left);
		for (j = 0; j < k->out[v].n; j++) {
			uint32_t w = k->out[v].v[j].to;
			double sc = cuv + k->out[v].v[j].c;

			if (k->done[w] || w == v || w == u)
				continue;
			if (k->ver[w] == k->cur && k->dist[w] <= sc)
				continue;
			added++;
			if (apply)
				k->shortcuts += (size_t)add_edge(k, u, w, sc);
		}
	}
	return added;
}

static long priority(struct ctr *k, uint32_t v)
{
	long deg = 0;
	uint32_t j;

	for (j = 0; j < k->in[v].n; j++)
		deg += !k->done[k->in[v].v[j].to];
	for (j = 0; j < k->out[v].n; j++)
		deg += !k->done[k->out[v].v[j].to];
	return contract(k, v, 0) - deg + (long)k->deleted[v];
}

/* ---- the hierarchy -------------------------------------------------- */

struct cedge {
	double c;
	uint32_t to; /* a position */
};

struct geo_ch {
	const struct geo_net *net;
	enum geo_net_weight w;
	size_t n, shortcuts;
	uint32_t *pos;	       /* [n] node -> position */
	uint32_t *aoff, *boff; /* [n + 1] by position */
	struct cedge *a, *b;
};

/* Segment s's cost each way under w: +inf where not allowed. */
static void seg_costs(const struct geo_net *net, enum geo_net_weight w,
		      size_t s, uint32_t *a, uint32_t *b, double *ab,
		      double *ba)
{
	double len, sab, sba;

	geo_net_seg(net, s, a, b, &len, &sab, &sba);
	*ab = isinf(sab) ? INFINITY : w == GEO_NET_TIME ? sab : len;
	*ba = isinf(sba) ? INFINITY : w == GEO_NET_TIME ? sba : len;
}

/* Copy list l's edges to nodes not yet taken out into e (node ids). */
static uint32_t keep_up(const struct ctr *k, const struct dlist *l,
			struct dedge **e)
{
	uint32_t j, m = 0;

	*e = xmalloc((l->n ? l->n : 1) * sizeof(**e));
	for (j = 0; j < l->n; j++)
		if (!k->done[l->v[j].to])
			(*e)[m++] = l->v[j];
	return m;
}

struct geo_ch *geo_ch_build(const struct geo_net *net, enum geo_net_weight w)
{
	struct geo_ch *ch = xcalloc(1, sizeof(*ch));
	size_t n = geo_net_nnodes(net), ns = geo_net_nsegs(net), s, p;
	struct ctr k;
	struct dedge **ua = xcalloc(n ? n : 1, sizeof(*ua));
	struct dedge **ub = xcalloc(n ? n : 1, sizeof(*ub));
	uint32_t *na = xcalloc(n ? n : 1, sizeof(*na));
	uint32_t *nb = xcalloc(n ? n : 1, sizeof(*nb));
	uint32_t *order = xmalloc((n ? n : 1) * sizeof(*order));
	size_t taken = 0;
	uint32_t v;

	memset(&k, 0, sizeof(k));
	k.n = n;
	k.out = xcalloc(n ? n : 1, sizeof(*k.out));
	k.in = xcalloc(n ? n : 1, sizeof(*k.in));
	k.done = xcalloc(n ? n : 1, 1);
	k.deleted = xcalloc(n ? n : 1, sizeof(*k.deleted));
	k.prio = xcalloc(n ? n : 1, sizeof(*k.prio));
	k.dist = xmalloc((n ? n : 1) * sizeof(*k.dist));
	k.ver = xcalloc(n ? n : 1, sizeof(*k.ver));
	k.sver = xcalloc(n ? n : 1, sizeof(*k.sver));
	k.tmark = xcalloc(n ? n : 1, sizeof(*k.tmark));
	for (s = 0; s < ns; s++) {
		uint32_t a, b;
		double ab, ba;

		seg_costs(net, w, s, &a, &b, &ab, &ba);
		if (a == b)
			continue;
		if (!isinf(ab))
			add_edge(&k, a, b, ab);
		if (!isinf(ba))
			add_edge(&k, b, a, ba);
	}
	for (v = 0; v < n; v++) {
		k.prio[v] = priority(&k, v);
		heap_push(&k.pq, (double)k.prio[v], v);
	}
	while (k.pq.n) {
		struct wh e = heap_pop(&k.pq);
		uint32_t j;
		long np;

		v = e.v;
		if (k.done[v] || e.c != (double)k.prio[v])
			continue;
		np = priority(&k, v);
		if (np != k.prio[v]) {
			k.prio[v] = np;
			if (k.pq.n && (double)np > k.pq.v[0].c) {
				heap_push(&k.pq, (double)np, v);
				continue;
			}
		}
		contract(&k, v, 1);
		na[v] = keep_up(&k, &k.out[v], &ua[v]);
		nb[v] = keep_up(&k, &k.in[v], &ub[v]);
		k.done[v] = 1;
		order[taken++] = v;
		/* the neighbours forget v, so searches never scan it */
		for (j = 0; j < na[v]; j++) {
			k.deleted[ua[v][j].to]++;
			dlist_drop(&k.in[ua[v][j].to], v);
		}
		for (j = 0; j < nb[v]; j++) {
			k.deleted[ub[v][j].to]++;
			dlist_drop(&k.out[ub[v][j].to], v);
		}
	}
	ch->net = net;
	ch->w = w;
	ch->n = n;
	ch->shortcuts = k.shortcuts;
	ch->pos = xmalloc((n ? n : 1) * sizeof(*ch->pos));
	for (p = 0; p < taken; p++)
		ch->pos[order[p]] = (uint32_t)(n - 1 - p);
	ch->aoff = xcalloc(n + 1, sizeof(*ch->aoff));
	ch->boff = xcalloc(n + 1, sizeof(*ch->boff));
	for (p = 0; p < n; p++) {
		v = order[n - 1 - p];
		ch->aoff[p + 1] = ch->aoff[p] + na[v];
		ch->boff[p + 1] = ch->boff[p] + nb[v];
	}
	ch->a = xmalloc((ch->aoff[n] ? ch->aoff[n] : 1) * sizeof(*ch->a));
	ch->b = xmalloc((ch->boff[n] ? ch->boff[n] : 1) * sizeof(*ch->b));
	for (p = 0; p < n; p++) {
		uint32_t j;

		v = order[n - 1 - p];
		for (j = 0; j < na[v]; j++) {
			ch->a[ch->aoff[p] + j].to = ch->pos[ua[v][j].to];
			ch->a[ch->aoff[p] + j].c = ua[v][j].c;
		}
		for (j = 0; j < nb[v]; j++) {
			ch->b[ch->boff[p] + j].to = ch->pos[ub[v][j].to];
			ch->b[ch->boff[p] + j].c = ub[v][j].c;
		}
		free(ua[v]);
		free(ub[v]);
	}
	for (v = 0; v < n; v++) {
		free(k.out[v].v);
		free(k.in[v].v);
	}
	free(k.out);
	free(k.in);
	free(k.done);
	free(k.deleted);
	free(k.prio);
	free(k.dist);
	free(k.ver);
	free(k.sver);
	free(k.tmark);
	free(k.wit.v);
	free(k.pq.v);
	free(ua);
	free(ub);
	free(na);
	free(nb);
	free(order);
	return ch;
}

void geo_ch_free(struct geo_ch *ch)
{
	if (!ch)
		return;
	free(ch->pos);
	free(ch->aoff);
	free(ch->boff);
	free(ch->a);
	free(ch->b);
	free(ch);
}

size_t geo_ch_shortcuts(const struct geo_ch *ch)
{
	return ch ? ch->shortcuts : 0;
}

/* ---- places --------------------------------------------------------- */

/* Moving along segment s from t0 to t1 under w, as geo_net's along():
 * 0 when that way is not allowed. */
static int along(const struct geo_net *net, enum geo_net_weight w, size_t s,
		 double t0, double t1, double *c)
{
	uint32_t a, b;
	double len, ab, ba, f, x;

	geo_net_seg(net, s, &a, &b, &len, &ab, &ba);
	if (t1 > t0) {
		if (isinf(ab))
			return 0;
		f = t1 - t0;
		x = ab;
	} else if (t1 < t0) {
		if (isinf(ba))
			return 0;
		f = t0 - t1;
		x = ba;
	} else {
		*c = 0;
		return 1;
	}
	*c = f * (w == GEO_NET_TIME ? x : len);
	return 1;
}

static double leg(const struct geo_net *net, enum geo_net_weight w,
		  double off_m)
{
	double secs = off_m / geo_net_access_mps(geo_net_mode(net));

	return w == GEO_NET_TIME ? secs : off_m;
}

/* A target: reached from position pa (pb) at d + ca (cb), then its leg. */
struct ctent {
	uint32_t id, pa, pb;
	double ca, cb, l, t;
};

/* The sweep restricted to the nodes that lead down to a target (RPHAST:
 * Delling, Goldberg and Werneck 2011): L of them, numbered 0 .. L-1 in
 * position order, each with its sweep edges from above (all within the
 * set) in soff/sw; loc maps a position to its number, or NOLOC. */
#define NOLOC UINT32_MAX

struct geo_ch_targets {
	int rev;	 /* dir TO */
	uint32_t *off;	 /* [ns + 1] entries on each segment */
	struct ctent *e; /* by segment; pa, pb are local numbers */
	size_t ne;
	size_t L;
	uint32_t *loc;	  /* [n] */
	uint32_t *soff;	  /* [L + 1] */
	struct cedge *sw; /* to: a local number */
};

/* The restriction: every target node and every node above with an edge
 * down into the set (positions from the bottom up, so each node's
 * edges are seen before the nodes above it are). */
static void restrict_sweep(const struct geo_ch *ch, struct geo_ch_targets *tg)
{
	const uint32_t *off = tg->rev ? ch->aoff : ch->boff;
	const struct cedge *sw = tg->rev ? ch->a : ch->b;
	unsigned char *in = xcalloc(ch->n ? ch->n : 1, 1);
	size_t k, p, L = 0;
	uint32_t j;

	for (k = 0; k < tg->ne; k++) {
		in[tg->e[k].pa] = 1;
		in[tg->e[k].pb] = 1;
	}
	for (p = ch->n; p-- > 0;)
		if (in[p])
			for (j = off[p]; j < off[p + 1]; j++)
				in[sw[j].to] = 1;
	tg->loc = xmalloc((ch->n ? ch->n : 1) * sizeof(*tg->loc));
	for (p = 0; p < ch->n; p++)
		tg->loc[p] = in[p] ? (uint32_t)L++ : NOLOC;
	tg->L = L;
	tg->soff = xcalloc(L + 1, sizeof(*tg->soff));
	for (p = 0; p < ch->n; p++)
		if (in[p])
			tg->soff[tg->loc[p] + 1] = off[p + 1] - off[p];
	for (k = 0; k < L; k++)
		tg->soff[k + 1] += tg->soff[k];
	tg->sw = xmalloc((tg->soff[L] ? tg->soff[L] : 1) * sizeof(*tg->sw));
	for (p = 0; p < ch->n; p++) {
		uint32_t at;

		if (!in[p])
			continue;
		at = tg->soff[tg->loc[p]];
		for (j = off[p]; j < off[p + 1]; j++, at++) {
			tg->sw[at].to = tg->loc[sw[j].to];
			tg->sw[at].c = sw[j].c;
		}
	}
	for (k = 0; k < tg->ne; k++) {
		tg->e[k].pa = tg->loc[tg->e[k].pa];
		tg->e[k].pb = tg->loc[tg->e[k].pb];
	}
	free(in);
}

struct geo_ch_targets *geo_ch_targets_new(const struct geo_ch *ch,
					  enum geo_net_dir dir, size_t n,
					  const struct geo_snap *t)
{
	const struct geo_net *net = ch->net;
	size_t ns = geo_net_nsegs(net), i;
	struct geo_ch_targets *tg = xcalloc(1, sizeof(*tg));
	uint32_t *at;

	tg->rev = dir == GEO_NET_TO;
	tg->off = xcalloc(ns + 1, sizeof(*tg->off));
	for (i = 0; i < n; i++)
		if (t[i].seg >= 0 && (size_t)t[i].seg < ns) {
			tg->off[t[i].seg + 1]++;
			tg->ne++;
		}
	for (i = 0; i < ns; i++)
		tg->off[i + 1] += tg->off[i];
	tg->e = xmalloc((tg->ne ? tg->ne : 1) * sizeof(*tg->e));
	at = xmalloc((ns + 1) * sizeof(*at));
	memcpy(at, tg->off, (ns + 1) * sizeof(*at));
	for (i = 0; i < n; i++) {
		struct ctent *e;
		size_t s = (size_t)t[i].seg;
		uint32_t a, b;
		double len, ab, ba;

		if (t[i].seg < 0 || s >= ns)
			continue;
		e = &tg->e[at[s]++];
		geo_net_seg(net, s, &a, &b, &len, &ab, &ba);
		e->id = (uint32_t)i;
		e->pa = ch->pos[a];
		e->pb = ch->pos[b];
		e->t = t[i].t;
		if (!(tg->rev ? along(net, ch->w, s, t[i].t, 0, &e->ca)
			      : along(net, ch->w, s, 0, t[i].t, &e->ca)))
			e->ca = INFINITY;
		if (!(tg->rev ? along(net, ch->w, s, t[i].t, 1, &e->cb)
			      : along(net, ch->w, s, 1, t[i].t, &e->cb)))
			e->cb = INFINITY;
		e->l = leg(net, ch->w, t[i].off_m);
	}
	free(at);
	restrict_sweep(ch, tg);
	return tg;
}

void geo_ch_targets_free(struct geo_ch_targets *tg)
{
	if (!tg)
		return;
	free(tg->off);
	free(tg->e);
	free(tg->loc);
	free(tg->soff);
	free(tg->sw);
	free(tg);
}

/* ---- searching ------------------------------------------------------ */

struct geo_ch_query {
	const struct geo_ch *ch;
	double *d;	 /* [n] by position: the upward search's labels */
	uint32_t *touch; /* the positions it labelled */
	size_t ntouch;
	double *dl; /* the sweep's labels, by local number */
	size_t capl;
	struct heap h;
};

struct geo_ch_query *geo_ch_query_new(const struct geo_ch *ch)
{
	struct geo_ch_query *q = xcalloc(1, sizeof(*q));

	size_t p;

	q->ch = ch;
	q->d = xmalloc((ch->n ? ch->n : 1) * sizeof(*q->d));
	q->touch = xmalloc((ch->n ? ch->n : 1) * sizeof(*q->touch));
	for (p = 0; p < ch->n; p++)
		q->d[p] = INFINITY;
	return q;
}

void geo_ch_query_free(struct geo_ch_query *q)
{
	if (!q)
		return;
	free(q->d);
	free(q->touch);
	free(q->dl);
	free(q->h.v);
	free(q);
}

/* Label position p with c when that is better (and within limit). */
static void qlabel(struct geo_ch_query *q, uint32_t p, double c, double limit)
{
	if (c <= limit && c < q->d[p]) {
		if (isinf(q->d[p]))
			q->touch[q->ntouch++] = p;
		q->d[p] = c;
		heap_push(&q->h, c, p);
	}
}

size_t geo_ch_reach(struct geo_ch_query *q, const struct geo_ch_targets *tg,
		    const struct geo_snap *origin, double limit,
		    void (*fn)(void *ctx, size_t target, double cost),
		    void *ctx)
{
	const struct geo_ch *ch = q->ch;
	const struct geo_net *net = ch->net;
	const uint32_t *uoff = tg->rev ? ch->boff : ch->aoff;
	const struct cedge *up = tg->rev ? ch->b : ch->a;
	double *d = q->d, *dl, lo, m;
	size_t p, sg, k, hits = 0;
	uint32_t a, b;
	double len, ab, ba;

	if (!origin || origin->seg < 0 ||
	    (size_t)origin->seg >= geo_net_nsegs(net))
		return 0;
	if (isnan(limit))
		limit = INFINITY;
	if (q->capl < tg->L) {
		free(q->dl);
		q->capl = tg->L;
		q->dl = xmalloc(q->capl * sizeof(*q->dl));
	}
	dl = q->dl;
	sg = (size_t)origin->seg;
	for (k = 0; k < q->ntouch; k++)
		d[q->touch[k]] = INFINITY;
	q->ntouch = 0;
	q->h.n = 0;
	lo = leg(net, ch->w, origin->off_m);
	geo_net_seg(net, sg, &a, &b, &len, &ab, &ba);
	if (tg->rev ? along(net, ch->w, sg, 0, origin->t, &m)
		    : along(net, ch->w, sg, origin->t, 0, &m))
		qlabel(q, ch->pos[a], lo + m, limit);
	if (tg->rev ? along(net, ch->w, sg, 1, origin->t, &m)
		    : along(net, ch->w, sg, origin->t, 1, &m))
		qlabel(q, ch->pos[b], lo + m, limit);
	/* upward */
	while (q->h.n) {
		struct wh e = heap_pop(&q->h);
		uint32_t j;

		if (e.c != d[e.v])
			continue;
		for (j = uoff[e.v]; j < uoff[e.v + 1]; j++)
			qlabel(q, up[j].to, e.c + up[j].c, limit);
	}
	/* downward over the nodes that lead to a target, top first */
	for (p = 0; p < tg->L; p++)
		dl[p] = INFINITY;
	for (k = 0; k < q->ntouch; k++) {
		uint32_t l = tg->loc[q->touch[k]];

		if (l != NOLOC)
			dl[l] = d[q->touch[k]];
	}
	for (p = 0; p < tg->L; p++) {
		double best = dl[p];
		uint32_t j;

		for (j = tg->soff[p]; j < tg->soff[p + 1]; j++) {
			double x = dl[tg->sw[j].to] + tg->sw[j].c;

			if (x < best)
				best = x;
		}
		dl[p] = best;
	}
	for (k = 0; k < tg->ne; k++) {
		const struct ctent *e = &tg->e[k];
		double c = (dl[e->pa] + e->ca) + e->l;
		double cb = (dl[e->pb] + e->cb) + e->l;

		if (cb < c)
			c = cb;
		/* a target on the origin's own segment, directly */
		if (k >= tg->off[sg] && k < tg->off[sg + 1] &&
		    (tg->rev ? along(net, ch->w, sg, e->t, origin->t, &m)
			     : along(net, ch->w, sg, origin->t, e->t, &m)) &&
		    (lo + m) + e->l < c)
			c = (lo + m) + e->l;
		if (!(c <= limit))
			continue;
		fn(ctx, e->id, c);
		hits++;
	}
	return hits;
}
