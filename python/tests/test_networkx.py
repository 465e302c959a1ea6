"""networkx graphs in and out, with dwave-networkx's labels and attributes."""
import numpy as np
import pytest

import pbit

nx = pytest.importorskip("networkx")


@pytest.mark.parametrize("spec", ["chimera:2,3,4", "pegasus:3", "zephyr:2,4"])
def test_dwave_families_round_trip(spec):
    g = pbit.graph(spec)
    G = g.to_networkx()
    assert sorted(G.nodes) == g.labels.tolist()
    assert sorted(tuple(sorted(e)) for e in G.edges) == list(map(tuple, g.edges.tolist()))
    fam = g.family
    assert G.graph["family"] == fam and G.graph["labels"] == "int" and G.graph["rows"] == g.params[0]
    key = fam + "_index"
    for label, c in zip(g.labels.tolist(), g.coordinates.tolist()):
        assert G.nodes[label][key] == tuple(c)
        assert "pbit_color" in G.nodes[label]
    back = pbit.from_networkx(G)
    assert back == g and back.spec == g.spec
    assert pbit.graph(G) == g


def test_pegasus_attributes_are_dwave_networkxs():
    G = pbit.to_networkx(pbit.graph("pegasus:2"))
    assert G.graph["tile"] == 12 and G.graph["columns"] == 2
    assert len(G.graph["vertical_offsets"]) == 12 and len(G.graph["horizontal_offsets"]) == 12
    G.graph["vertical_offsets"] = [6] * 12  # another topology: not pbit's Pegasus any more
    assert pbit.from_networkx(G).family == "file"


def test_against_dwave_networkx_when_installed():
    dnx = pytest.importorskip("dwave_networkx")
    for spec, G in [("chimera:3,2,4", dnx.chimera_graph(3, 2, 4)), ("pegasus:4", dnx.pegasus_graph(4)),
                    ("zephyr:2,4", dnx.zephyr_graph(2, 4))]:
        g = pbit.graph(spec)
        assert pbit.from_networkx(G) == g
        assert g.to_networkx().graph["family"] == G.graph["family"]


def test_working_graph_keeps_family_coordinates_and_colouring():
    g = pbit.graph("pegasus:4")
    G = g.to_networkx()
    broken = g.labels[[3, 50, 100]].tolist()
    G.remove_nodes_from(broken)
    G.remove_edge(*map(int, g.edges[0]))
    w = pbit.from_networkx(G)
    assert w.family == "pegasus" and w.num_nodes == g.num_nodes - 3
    assert w.spec.startswith("networkx:pegasus:4")
    assert w.coloring()["num_colors"] == 4 and w.coloring()["method"] == "structural"
    idx = g.indices(w.labels)
    assert np.array_equal(w.coordinates, g.coordinates[idx])
    # and sampling on it
    r = pbit.sample(pbit.Problem.random(G, seed=1), sweeps=10, chains=2)
    assert r.states.shape == (2, w.num_nodes)


def test_any_integer_labelled_graph():
    G = nx.petersen_graph()
    G.add_node(42)  # isolated
    g = pbit.from_networkx(G)
    assert g.family == "file" and g.num_nodes == 11 and g.num_edges == 15
    assert g.coloring()["num_colors"] == 3
    G2 = g.to_networkx()
    assert nx.is_isomorphic(G, G2) and sorted(G2.nodes) == sorted(G.nodes)
    p = pbit.Problem(G, {42: 1.0}, {(0, 1): -1.0})
    r = pbit.sample(p, beta=2.0, sweeps=500, chains=4)
    assert r.means[g.index(42)] > 0.9


def test_networkx_errors():
    with pytest.raises(pbit.Error, match="not an integer"):
        pbit.from_networkx(nx.Graph([("a", "b")]))
    with pytest.raises(pbit.Error, match="simple undirected"):
        pbit.from_networkx(nx.DiGraph([(0, 1)]))
    with pytest.raises(pbit.Error, match="no nodes"):
        pbit.from_networkx(nx.Graph())
    with pytest.raises(pbit.Error, match="self-loop|itself"):
        pbit.from_networkx(nx.Graph([(0, 0)]))
