"""networkx graphs in and out, with dwave-networkx's labels and attributes.

to_networkx(g) of a Chimera/Pegasus/Zephyr graph carries what
dwave_networkx.chimera_graph / pegasus_graph / zephyr_graph put on theirs
(graph attributes family, rows, columns, tile, labels='int', data, name, the
Pegasus offset lists; node attribute <family>_index = the coordinates), so
dwave-networkx's drawing and coordinate tools accept it. from_networkx(G)
takes any undirected graph with integer node labels; a graph made by
dwave-networkx (linear labels) comes back as the same pbit family, with its
coordinates and structural colouring (a subgraph of one, e.g. a working
graph with missing qubits, too).
"""
from . import _pbit

_DWAVE = ("chimera", "pegasus", "zephyr")


def _nx():
    try:
        import networkx
    except ImportError as e:  # optional dependency
        raise ImportError("pbit: networkx is needed for this (Debian: python3-networkx)") from e
    return networkx


def to_networkx(g, colors=True):
    """The graph as a networkx.Graph: nodes are the labels; node attribute
    'pbit_color' (with colors=True) is the colouring the samplers use."""
    nx = _nx()
    g = _as_graph(g)
    G = nx.Graph()
    labels = g.labels.tolist()
    G.add_nodes_from(labels)
    G.add_edges_from(map(tuple, g.edges.tolist()))
    G.graph["pbit_spec"] = g.spec
    fam, p = g.family, list(g.params)
    if fam in _DWAVE:
        if fam == "chimera":
            rows, columns, tile = p
            name = "chimera_graph(%d, %d, %d)" % (rows, columns, tile)
        elif fam == "pegasus":
            rows, columns, tile = p[0], p[0], 12
            name = "pegasus_graph(%d, 0)" % rows
            G.graph["vertical_offsets"] = _pbit.pegasus_offsets(0)
            G.graph["horizontal_offsets"] = _pbit.pegasus_offsets(1)
        else:
            rows, columns, tile = p[0], p[0], p[1]
            name = "zephyr_graph(%d, %d)" % (rows, tile)
        G.graph.update(family=fam, rows=rows, columns=columns, tile=tile, labels="int", data=True,
                       name=name)
        key = fam + "_index"
        for label, c in zip(labels, g.coordinates.tolist()):
            G.nodes[label][key] = tuple(c)
    if colors:
        for label, c in zip(labels, g.colors):
            G.nodes[label]["pbit_color"] = c
    return G


def _int_label(v):
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise _pbit.Error("networkx graph: node label %r is not an integer (relabel with "
                          "networkx.convert_node_labels_to_integers, or build dwave-networkx graphs "
                          "with linear labels)" % (v,))
    return int(v)


def _dwave_spec(G):
    """The pbit spec of a dwave-networkx graph's family, or None."""
    a = G.graph
    fam = a.get("family")
    if fam not in _DWAVE or a.get("labels", "int") != "int":
        return None, None
    try:
        if fam == "chimera":
            params = [int(a["rows"]), int(a["columns"]), int(a["tile"])]
            return "chimera:%d,%d,%d" % tuple(params), params
        if fam == "pegasus":
            for ori, key in ((0, "vertical_offsets"), (1, "horizontal_offsets")):
                if key in a and list(a[key]) != _pbit.pegasus_offsets(ori):
                    return None, None  # other offsets: another topology than pbit's Pegasus
            return "pegasus:%d" % int(a["rows"]), [int(a["rows"])]
        params = [int(a["rows"]), int(a["tile"])]
        return "zephyr:%d,%d" % tuple(params), params
    except (KeyError, TypeError, ValueError):
        return None, None


def from_networkx(G):
    """A pbit.Graph from an undirected networkx graph with integer node labels."""
    nx = _nx()
    if G.is_directed() or G.is_multigraph():
        raise _pbit.Error("networkx graph: only simple undirected graphs (networkx.Graph) are accepted")
    nodes = sorted(_int_label(v) for v in G.nodes)
    edges = sorted(tuple(sorted((_int_label(u), _int_label(v)))) for u, v in G.edges)
    if not nodes:
        raise _pbit.Error("networkx graph: no nodes")
    spec, params = _dwave_spec(G)
    if spec is not None:
        full = _pbit._make_graph(spec)
        if full.labels.tolist() == nodes and full.edges.tolist() == [list(e) for e in edges]:
            return full
        full_nodes = set(full.labels.tolist())
        full_edges = set(map(tuple, full.edges.tolist()))
        if set(nodes) <= full_nodes and set(edges) <= full_edges:
            return _pbit.Graph._from_labeled_edges(G.graph["family"], params, "networkx:" + spec + " subgraph",
                                                   nodes, edges)
    import numpy as np
    return _pbit.Graph.from_edges(np.array(edges, dtype=np.int64).reshape(-1, 2), nodes, "networkx")


def _as_graph(g):
    if isinstance(g, _pbit.Graph):
        return g
    from . import graph
    return graph(g)
