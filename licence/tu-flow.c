/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Min-cost max-flow; see tu-flow.h. */
#include "tu-flow.h"

typedef struct {
	guint to;
	guint rev; /* index of the reverse edge in edges */
	gint64 cap;
	gint64 cost;
	gint64 orig_cap;
} Edge;

struct _TuFlow {
	guint n;
	GArray *edges;	   /* Edge */
	GArray **adj;	   /* per node: guint edge indices */
};

TuFlow *
tu_flow_new (guint n_nodes)
{
	TuFlow *f = g_new0 (TuFlow, 1);
	f->n = n_nodes;
	f->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
	f->adj = g_new0 (GArray *, n_nodes);
	for (guint i = 0; i < n_nodes; i++)
		f->adj[i] = g_array_new (FALSE, FALSE, sizeof (guint));
	return f;
}

void
tu_flow_free (TuFlow *f)
{
	if (f == NULL)
		return;
	for (guint i = 0; i < f->n; i++)
		g_array_unref (f->adj[i]);
	g_free (f->adj);
	g_array_unref (f->edges);
	g_free (f);
}

guint
tu_flow_add_edge (TuFlow *f, guint from, guint to, gint64 capacity, gint64 cost)
{
	g_return_val_if_fail (from < f->n && to < f->n && cost >= 0 && capacity >= 0, 0);
	guint idx = f->edges->len;
	Edge fwd = {to, idx + 1, capacity, cost, capacity};
	Edge back = {from, idx, 0, -cost, 0};
	g_array_append_val (f->edges, fwd);
	g_array_append_val (f->edges, back);
	g_array_append_val (f->adj[from], idx);
	guint b = idx + 1;
	g_array_append_val (f->adj[to], b);
	return idx;
}

gint64
tu_flow_solve (TuFlow *f, guint s, guint t, gint64 *total_cost)
{
	gint64 flow = 0, cost = 0;
	g_autofree gint64 *dist = g_new (gint64, f->n);
	g_autofree guint *prev_edge = g_new (guint, f->n);
	g_autofree gboolean *in_queue = g_new (gboolean, f->n);
	g_autofree guint *queue = g_new (guint, f->n + 1);
	const gint64 inf = G_MAXINT64 / 4;

	for (;;) {
		/* SPFA: shortest path by cost in the residual graph (negative reverse costs) */
		for (guint i = 0; i < f->n; i++) {
			dist[i] = inf;
			prev_edge[i] = G_MAXUINT;
			in_queue[i] = FALSE;
		}
		dist[s] = 0;
		guint head = 0, tail = 0, size = f->n + 1;
		queue[tail++ % size] = s;
		in_queue[s] = TRUE;
		while (head != tail) {
			guint u = queue[head++ % size];
			in_queue[u] = FALSE;
			for (guint k = 0; k < f->adj[u]->len; k++) {
				guint ei = g_array_index (f->adj[u], guint, k);
				Edge *e = &g_array_index (f->edges, Edge, ei);
				if (e->cap > 0 && dist[u] + e->cost < dist[e->to]) {
					dist[e->to] = dist[u] + e->cost;
					prev_edge[e->to] = ei;
					if (!in_queue[e->to]) {
						in_queue[e->to] = TRUE;
						queue[tail++ % size] = e->to;
					}
				}
			}
		}
		if (dist[t] >= inf)
			break;
		/* bottleneck along the path */
		gint64 push = inf;
		for (guint v = t; v != s;) {
			Edge *e = &g_array_index (f->edges, Edge, prev_edge[v]);
			push = MIN (push, e->cap);
			v = g_array_index (f->edges, Edge, e->rev).to;
		}
		for (guint v = t; v != s;) {
			Edge *e = &g_array_index (f->edges, Edge, prev_edge[v]);
			Edge *r = &g_array_index (f->edges, Edge, e->rev);
			e->cap -= push;
			r->cap += push;
			v = r->to;
		}
		flow += push;
		cost += push * dist[t];
	}
	if (total_cost != NULL)
		*total_cost = cost;
	return flow;
}

gint64
tu_flow_edge_flow (TuFlow *f, guint edge)
{
	const Edge *e = &g_array_index (f->edges, Edge, edge);
	return e->orig_cap - e->cap;
}
