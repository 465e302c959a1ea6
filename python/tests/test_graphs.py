"""pbit.Graph against the CLI's graph export, and its errors."""
import json
import pickle

import numpy as np
import pytest

import pbit


@pytest.mark.parametrize("spec", ["pegasus:4", "chimera:2,3,4", "zephyr:2", "lattice:4x5", "er:30,0.2,3"])
def test_graph_matches_cli_export(cli, spec):
    g = pbit.graph(spec)
    info = cli.json("graph", "info", spec)
    assert (g.spec, g.family, g.num_nodes, g.num_edges) == (info["graph"], info["family"], info["nodes"], info["edges"])
    nodes = cli.run("graph", "export", spec, "--format", "nodes").stdout.split()
    assert g.labels.tolist() == [int(x) for x in nodes]
    edges = [list(map(int, line.split())) for line in
             cli.run("graph", "export", spec, "--format", "edges").stdout.splitlines() if line.strip()]
    assert g.edges.tolist() == edges
    doc = json.loads(cli.run("graph", "export", spec, "--format", "json").stdout)
    labels = g.labels.tolist()
    assert dict(zip(map(str, labels), g.colors)) == doc["colors"]
    col = g.coloring()
    assert (col["num_colors"], col["method"]) == (info["colors"], info["coloring_method"])
    if g.coordinates is None:
        assert "coordinates" not in doc
    else:
        assert dict(zip(map(str, labels), g.coordinates.tolist())) == doc["coordinates"]
        assert ",".join(g.coordinate_names) == doc["coordinate_system"]


def test_coordinates_are_dwave_linear_labels():
    # dwave-networkx's linear index formulas, written out independently.
    g = pbit.graph("chimera:2,3,4")
    for q, (i, j, u, k) in zip(g.labels.tolist(), g.coordinates.tolist()):
        assert q == ((i * 3 + j) * 2 + u) * 4 + k
    m = 3
    g = pbit.graph("pegasus:%d" % m)
    for q, (u, w, k, z) in zip(g.labels.tolist(), g.coordinates.tolist()):
        assert q == ((u * m + w) * 12 + k) * (m - 1) + z
    m, t = 2, 4
    g = pbit.graph("zephyr:%d,%d" % (m, t))
    assert g.coordinate_names == ("u", "w", "k", "j", "z")
    for q, (u, w, k, j, z) in zip(g.labels.tolist(), g.coordinates.tolist()):
        assert q == (((u * (2 * m + 1) + w) * t + k) * 2 + j) * m + z
    assert pbit.graph("lattice:3x3").coordinates is None


def test_labels_indices_and_adjacency():
    g = pbit.graph("pegasus:3")
    labels = g.labels
    assert np.all(np.diff(labels) > 0)
    assert g.indices(labels).tolist() == list(range(g.num_nodes))
    assert g.label(5) == labels[5] and g.index(int(labels[5])) == 5
    assert int(labels[0]) in g and -1 not in g
    with pytest.raises(KeyError, match="not in graph pegasus:3"):
        g.index(-1)
    with pytest.raises(IndexError):
        g.label(g.num_nodes)
    offsets, adj = g.adjacency
    assert len(offsets) == g.num_nodes + 1 and offsets[-1] == 2 * g.num_edges
    assert g.degrees.tolist() == np.diff(offsets).tolist()
    u, v = g.edges[0]
    assert g.has_edge(int(u), int(v)) and g.has_edge(int(v), int(u)) and not g.has_edge(int(u), int(u))
    ei = g.edge_index
    assert np.array_equal(labels[ei], g.edges)


def test_coloring_is_proper():
    for spec in ["pegasus:4", "zephyr:2", "er:40,0.3,1"]:
        g = pbit.graph(spec)
        c = np.asarray(g.colors)
        assert np.all(c[g.edge_index[:, 0]] != c[g.edge_index[:, 1]])
    assert pbit.graph("pegasus:4").coloring()["num_colors"] == 4


def test_from_edges_and_pickle():
    g = pbit.Graph.from_edges([(10, 20), (20, 30), (10, 30)], nodes=[40])
    assert g.labels.tolist() == [10, 20, 30, 40]
    assert g.edges.tolist() == [[10, 20], [10, 30], [20, 30]]
    assert g.family == "file" and g.coordinates is None
    for h in (g, pbit.graph("pegasus:3")):
        h2 = pickle.loads(pickle.dumps(h))
        assert h2 == h and h2.spec == h.spec
    assert pbit.graph("chimera:1") != pbit.graph("chimera:2")


def test_graph_errors_carry_the_library_messages(cli):
    for spec in ["pegasus:1", "chimera:x", "nosuch:3", "lattice:0x3"]:
        with pytest.raises(pbit.Error) as e:
            pbit.graph(spec)
        assert str(e.value) == cli.error("graph", "info", spec)
    assert issubclass(pbit.Error, ValueError)
    with pytest.raises(pbit.Error, match="self-loop|itself"):
        pbit.Graph.from_edges([(1, 1)])
    with pytest.raises(pbit.Error, match="duplicate"):
        pbit.Graph.from_edges([(1, 2), (2, 1)])
    with pytest.raises(pbit.Error, match=r"\[E, 2\]"):
        pbit.Graph.from_edges([1, 2, 3])
    with pytest.raises(pbit.Error, match="not an integer"):
        pbit.Graph.from_edges([(1.5, 2)])
    with pytest.raises(TypeError):
        pbit.graph(3)
