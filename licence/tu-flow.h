/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimum-cost maximum flow (successive shortest paths with Bellman-Ford/SPFA on the residual
 * graph). The licence engine allocates installations to entitlements with it: the maximum
 * flow is the allocation with the least shortfall, and among those the costs break ties
 * (closer editions, soonest-expiring and cheaper entitlements first). Graphs here are small
 * (groups of identical demands x entitlements), capacities large: augmentations push whole
 * bottlenecks, so the number of iterations is bounded by the number of paths, not units.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TuFlow TuFlow;

TuFlow *tu_flow_new (guint n_nodes);
void tu_flow_free (TuFlow *flow);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuFlow, tu_flow_free)

/* Add an edge; returns its index for tu_flow_edge_flow. Costs must be >= 0. */
guint tu_flow_add_edge (TuFlow *flow, guint from, guint to, gint64 capacity, gint64 cost);
/* Push as much flow as possible from @source to @sink at the least cost; returns the flow. */
gint64 tu_flow_solve (TuFlow *flow, guint source, guint sink, gint64 *total_cost);
/* The flow on edge @edge after solving. */
gint64 tu_flow_edge_flow (TuFlow *flow, guint edge);

G_END_DECLS
