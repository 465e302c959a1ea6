"""sample_ising: Ocean-like records of (sample, energy, num_occurrences)."""
import itertools

import numpy as np
import pytest

import pbit


def brute_force_ground(h, J, labels):
    best = None
    for bits in itertools.product((-1, 1), repeat=len(labels)):
        m = dict(zip(labels, bits))
        e = -sum(v * m[u] * m[w] for (u, w), v in J.items()) - sum(v * m[u] for u, v in h.items())
        best = e if best is None else min(best, e)
    return best


def frustrated_problem(seed=1):
    g = pbit.graph("chimera:1")
    rng = np.random.default_rng(seed)
    J = {tuple(e): float(rng.choice([-1.0, 1.0])) for e in g.edges.tolist()}
    h = {int(x): float(rng.normal(0, 0.3)) for x in g.labels}
    return g, h, J


def test_finds_the_ground_state_and_counts_reads():
    g, h, J = frustrated_problem()
    ss = pbit.sample_ising(h, J, num_reads=200, beta=3.0, sweeps=500, seed=2)
    assert ss.first.energy == pytest.approx(brute_force_ground(h, J, g.labels.tolist()), abs=1e-9)
    assert ss.record.num_occurrences.sum() == 200
    assert np.all(np.diff(ss.record.energy) >= 0)
    assert len(np.unique(ss.record.sample, axis=0)) == len(ss)
    p = pbit.Problem(g, h, J)
    assert np.allclose(ss.record.energy, p.energy(ss.record.sample), rtol=0, atol=0)
    assert ss.variables == g.labels.tolist()
    first = ss.first
    assert set(first.sample) == set(ss.variables) and set(first.sample.values()) <= {-1, 1}
    assert len(ss.samples()) == len(ss) and len(list(ss.data())) == len(ss)
    assert np.all(ss.lowest().record.energy == ss.first.energy)
    assert ss.info["num_reads"] == 200 and ss.info["backend"] == "ref"


def test_reads_are_the_final_states_of_pbit_sample():
    g, h, J = frustrated_problem(3)
    ss = pbit.sample_ising(h, J, num_reads=16, beta=1.0, sweeps=300, seed=9, graph=g, aggregate=False)
    r = pbit.sample(pbit.Problem(g, h, J), beta=1.0, sweeps=300, burn_in=0, chains=16, seed=9)
    order = np.argsort(r.energies, kind="stable")
    assert np.array_equal(ss.record.sample, r.states[order])
    assert np.all(ss.record.num_occurrences == 1)


def test_graph_built_from_the_terms():
    # labels need not be contiguous or start at 0; J gives the edges
    h = {10: 0.5, 40: -0.2}
    J = {(10, 20): -1.0, (30, 20): 1.0, (30, 10): 0.5}
    ss = pbit.sample_ising(h, J, num_reads=20, beta=2.0, sweeps=200)
    assert ss.variables == [10, 20, 30, 40]
    assert ss.first.energy == pytest.approx(brute_force_ground(h, J, [10, 20, 30, 40]))
    # a sequence h labels 0..n-1; COO J
    ss2 = pbit.sample_ising([0.1, 0.2, -0.3], ([0, 1], [1, 2], [1.0, -1.0]), num_reads=8, sweeps=100)
    assert ss2.variables == [0, 1, 2]


def test_ising_errors():
    with pytest.raises(pbit.Error, match="no variables"):
        pbit.sample_ising({}, {})
    with pytest.raises(pbit.Error, match="pairs of node labels"):
        pbit.sample_ising({}, {1: 1.0})
    with pytest.raises(pbit.Error, match="itself"):
        pbit.sample_ising({}, {(1, 1): 1.0})
    with pytest.raises(pbit.Error, match="duplicate coupling"):
        pbit.sample_ising({}, {(1, 2): 1.0, (2, 1): 1.0})
    with pytest.raises(pbit.Error, match="not an edge"):
        pbit.sample_ising({}, {(0, 1): 1.0}, graph="chimera:1")
    with pytest.raises(pbit.Error, match="chains"):
        pbit.sample_ising({0: 1.0}, {}, num_reads=0)
