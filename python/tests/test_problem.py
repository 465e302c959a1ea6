"""NumericSpec and Problem: construction from NumPy and dicts, round trips, errors."""
import os
import pickle

import numpy as np
import pytest

import pbit


# ---------------------------------------------------------------- NumericSpec

def test_spec_defaults_are_the_clis(cli):
    doc = cli.json("sample", "--graph", "chimera:1", "--sweeps", "1", "--burn-in", "0", "--chains", "1")
    assert pbit.NumericSpec().asdict() == doc["spec"]


def test_spec_covering_shift_and_overrides_match_the_cli(cli):
    args = ["--weight-bits", "10", "--frac-bits", "4", "--sum-bits", "14", "--lut-depth", "64", "--rng", "lfsr32",
            "--schedule", "async", "--async-period", "8", "--beta-mode", "fold"]
    doc = cli.json("sample", "--graph", "chimera:1", "--sweeps", "1", "--burn-in", "0", "--chains", "1", *args)
    s = pbit.NumericSpec(weight_bits=10, frac_bits=4, sum_bits=14, lut_depth=64, rng="lfsr32", schedule="async",
                         async_period=8, beta_mode="fold")
    assert s.asdict() == doc["spec"]
    assert s.lut_shift > 0


def test_spec_is_dataclass_like():
    s = pbit.NumericSpec(weight_bits=8, frac_bits=3, sum_bits=10)
    assert s == pbit.NumericSpec(**s.asdict())
    assert s != pbit.NumericSpec()
    assert pickle.loads(pickle.dumps(s)) == s
    assert eval(repr(s), {"pbit": pbit}) == s
    assert set(s.asdict()) == set(pbit.NumericSpec.fields)
    t = s.replace(rng="lfsr32")
    assert t.rng == "lfsr32" and s.rng == "xorshift32" and t.weight_bits == 8
    assert s.replace(sum_bits=14).lut_shift == pbit.NumericSpec(weight_bits=8, frac_bits=3, sum_bits=14).lut_shift > 0
    assert s.replace(sum_bits=14, lut_shift=0).lut_shift == 0
    with pytest.raises(AttributeError):
        s.weight_bits = 4  # frozen: use replace()


def test_spec_lut_and_quantize():
    s = pbit.NumericSpec()
    lut = s.lut(1.0)
    assert lut.shape == (s.lut_depth,) and lut[0] == 0 and np.all(np.diff(lut) >= 0)
    assert lut[-1] <= 2 ** (s.lut_bits - 1) - 1
    q = s.quantize([0.25, -0.25, 0.74, 100.0, -100.0])
    assert q.tolist() == [1, -1, 1, 2 ** (s.weight_bits - 1) - 1, -(2 ** (s.weight_bits - 1))]
    assert s.dequantize(q).tolist()[:3] == [0.5, -0.5, 0.5]


def test_spec_errors():
    with pytest.raises(pbit.Error, match="weight_bits"):
        pbit.NumericSpec(weight_bits=1)
    with pytest.raises(pbit.Error, match="nosuch"):
        pbit.NumericSpec(rng="nosuch")
    with pytest.raises(TypeError, match="no field 'bits'"):
        pbit.NumericSpec(bits=3)
    with pytest.raises(TypeError):
        pbit.NumericSpec(weight_bits="6")
    with pytest.raises(TypeError):
        pbit.NumericSpec(6)


# ---------------------------------------------------------------- Problem

def random_weights(g, seed=3):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, g.num_nodes), rng.normal(0, 1, g.num_edges)


def test_problem_inputs_agree():
    g = pbit.graph("pegasus:3")
    h, J = random_weights(g)
    labels, edges = g.labels.tolist(), g.edges.tolist()
    by_vector = pbit.Problem(g, h, J)
    by_dict = pbit.Problem(g, dict(zip(labels, h)), {(u, v): x for (u, v), x in zip(edges, J)})
    # other orientation and order, and NumPy scalar labels
    rev = {(np.int64(v), np.int64(u)): x for (u, v), x in reversed(list(zip(edges, J)))}
    by_rev = pbit.Problem(g, {np.int64(k): x for k, x in zip(labels, h)}, rev)
    by_coo = pbit.Problem(g, h, (g.edges[:, 1], g.edges[:, 0], J))
    for p in (by_dict, by_rev, by_coo):
        assert p == by_vector
    assert np.array_equal(by_vector.h, h) and np.array_equal(by_vector.J, J)
    assert pbit.Problem("pegasus:3", h, J) == by_vector
    hd, Jd = by_vector.to_ising()
    assert pbit.Problem(g, hd, Jd) == by_vector


def test_problem_from_scipy_sparse():
    sp = pytest.importorskip("scipy.sparse")
    g = pbit.graph("chimera:1")
    _, J = random_weights(g)
    m = sp.coo_matrix((J, (g.edges[:, 0], g.edges[:, 1])), shape=(8, 8))
    assert pbit.Problem(g, None, m) == pbit.Problem(g, None, J)
    assert pbit.Problem(g, None, m.tocsr()) == pbit.Problem(g, None, J)
    with pytest.raises(pbit.Error, match="duplicate coupling"):
        pbit.Problem(g, None, m + m.T)  # both triangles: each coupling twice


def test_partial_terms_default_to_zero():
    g = pbit.graph("chimera:1")
    u, v = g.edges[0].tolist()
    p = pbit.Problem(g, {3: 0.5}, {(u, v): -1.0})
    assert p.h.tolist() == [0.5 if x == 3 else 0.0 for x in g.labels]
    assert p.J[0] == -1.0 and np.count_nonzero(p.J) == 1
    q = pbit.Problem(g)
    assert not q.h.any() and not q.J.any()


def test_energy_matches_numpy():
    g = pbit.graph("zephyr:1")
    h, J = random_weights(g)
    p = pbit.Problem(g, h, J)
    rng = np.random.default_rng(0)
    m = rng.choice(np.array([-1, 1], np.int8), size=(5, g.num_nodes))
    ei = g.edge_index
    want = -(m[:, ei[:, 0]] * m[:, ei[:, 1]] * J).sum(1) - (m * h).sum(1)
    assert np.allclose(p.energy(m), want, rtol=0, atol=1e-9)
    assert p.energy(m[0]) == pytest.approx(want[0], abs=1e-9)
    with pytest.raises(pbit.Error, match="-1 or \\+1"):
        p.energy(np.zeros(g.num_nodes))
    with pytest.raises(pbit.Error, match="entries"):
        p.energy(np.ones(g.num_nodes + 1))


def test_file_round_trips_and_cli_reads_them(tmp_path, cli):
    g = pbit.graph("pegasus:3")
    h, J = random_weights(g)
    p = pbit.Problem(g, h, J)
    for name in ("p.txt", "p.json"):
        path = str(tmp_path / name)
        p.write(path)
        assert pbit.Problem.read(path, g) == p
        # the CLI samples the same file on the same graph
        cli.json("sample", "--problem", path, "--graph", "pegasus:3", "--sweeps", "1", "--burn-in", "0")
    assert pbit.Problem.read(str(tmp_path / "p.json")) == p  # the JSON names its graph
    assert pickle.loads(pickle.dumps(p)) == p


def test_random_problem_is_the_clis(tmp_path, cli):
    p = pbit.Problem.random("chimera:2", couplings="gauss:0.7", fields="uniform:0.3", seed=9)
    q = pbit.Problem.random("chimera:2", couplings="gauss:0.7", fields="uniform:0.3", seed=10)
    assert p != q and p.J.std() > 0.3
    with pytest.raises(pbit.Error) as e:
        pbit.Problem.random("chimera:2", couplings="gauss")
    assert str(e.value) == cli.error("sample", "--graph", "chimera:2", "--couplings", "gauss")


def test_dequantized_weights_are_on_the_grid():
    g = pbit.graph("chimera:1")
    p = pbit.Problem(g, np.linspace(-20, 20, g.num_nodes), np.linspace(-3, 3, g.num_edges))
    d = p.dequantized()
    assert np.all(d.h * 2 == np.round(d.h * 2)) and d.h.max() == 15.5 and d.h.min() == -16
    assert np.all(np.abs(d.J - p.J) <= 0.25)


def test_problem_errors(tmp_path, cli):
    g = pbit.graph("chimera:1")
    u, v = g.edges[0].tolist()
    bad = [
        (dict(h={99: 1.0}), "h\\[99\\]: unknown node 99 \\(not in graph chimera:1,1,4\\)"),
        (dict(J={(0, 1): 1.0}), "J\\[\\(0, 1\\)\\]: coupling 0 1 is not an edge of graph"),
        (dict(J={(u, v): 1.0, (v, u): 2.0}), "duplicate coupling"),
        (dict(J={(u, u): 1.0}), "itself"),
        (dict(J={u: 1.0}), "pairs of node labels"),
        (dict(h={0: float("nan")}), "not finite"),
        (dict(h={0: "x"}), "not a number"),
        (dict(h={"a": 1.0}), "not an integer"),
        (dict(h=np.ones(3)), "one entry per node \\(8"),
        (dict(J=np.ones(5)), "one entry per edge \\(16"),
        (dict(J=np.ones((8, 8))), "dense matrices are not accepted"),
        (dict(J=np.array([1.0, np.inf] + [0.0] * 14)), "J\\[1\\] is not finite"),
        (dict(J=([0, 0], [4, 5], [1.0])), "different lengths"),
        (dict(J=([0], [99], [1.0])), "unknown node 99"),
    ]
    for kwargs, msg in bad:
        with pytest.raises(pbit.Error, match=msg):
            pbit.Problem(g, **kwargs)
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(pbit.Error) as e:
        pbit.Problem.read(missing)
    assert str(e.value) == cli.error("sample", "--problem", missing)
    p = pbit.Problem(g)
    with pytest.raises(pbit.Error, match="8 nodes"):
        p.h = np.ones(3)
    p.J = np.ones(g.num_edges)
    assert p.J.sum() == g.num_edges
    with pytest.raises(pbit.Error, match="cannot write"):
        p.write(os.path.join(str(tmp_path), "no", "such", "dir.txt"))
