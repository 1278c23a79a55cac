"""Pure analysis of a graphmap snapshot: no database, no I/O.

The flow is ``Snapshot`` (filled by the store) → :func:`snapshot.in_scope` →
:func:`projection.actor_graph` / :func:`projection.bipartite_graph` → metrics
(one module per measure) → :func:`facilitators.facilitator_bridges` and
:func:`emergence.emerging_initiatives`, orchestrated by :func:`pipeline.analyze`.

Every metric is a networkx-style function taking ``G`` first. Where networkx is
too slow at 100k nodes, a compiled kernel (igraph) runs behind the same
function, chosen by a ``backend`` parameter; tests prove the backends agree.
"""
