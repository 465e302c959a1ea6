"""pbit.sample and pbit.Sampler: bit for bit the CLI's `pbit sample`, the
Sampler interface, the GIL, errors."""
import threading

import numpy as np
import pytest

import pbit


def cli_moments(doc, g):
    means = np.array([doc["means"][str(x)] for x in g.labels.tolist()])
    corr = np.array([c[2] for c in doc["correlations"]])
    assert [c[:2] for c in doc["correlations"]] == g.edges.tolist()
    return means, corr


def assert_identical(r, doc, g):
    means, corr = cli_moments(doc, g)
    assert r.samples == doc["samples"]
    assert np.array_equal(r.means, means)  # exact: same bits, same sums
    assert np.array_equal(r.correlations, corr)
    assert r.energy_mean == doc["energy_mean"]


def test_pegasus4_matches_pbit_sample_bit_for_bit(cli):
    g = pbit.graph("pegasus:4")
    p = pbit.Problem.random(g, couplings="pm1", seed=1)
    r = pbit.sample(p, "ref", beta=1.0, sweeps=1000, burn_in=100, chains=32, seed=7)
    doc = cli.json("sample", "--graph", "pegasus:4", "--couplings", "pm1", "--backend", "ref", "--beta", "1",
                   "--sweeps", "1000", "--burn-in", "100", "--chains", "32", "--seed", "7")
    assert_identical(r, doc, g)
    assert r.states.shape == (32, g.num_nodes) and r.states.dtype == np.int8
    assert set(np.unique(r.states)) <= {-1, 1}
    assert np.allclose(r.energies, p.energy(r.states), rtol=0, atol=0)
    assert r.labels.tolist() == g.labels.tolist() and r.edges.tolist() == g.edges.tolist()
    # another seed, other bits
    r2 = pbit.sample(p, "ref", sweeps=1000, chains=32, seed=8)
    assert not np.array_equal(r2.means, r.means)


@pytest.mark.parametrize("backend,extra,spec", [
    ("ref", [], dict(rng="lfsr32", schedule="async", async_period=3, weight_bits=8, frac_bits=3, sum_bits=10)),
    ("ref", ["--simd", "scalar"], dict(beta_mode="fold")),
    ("float", [], dict()),
    ("exact", [], dict()),
    ("exact", ["--arithmetic", "float"], dict()),
])
def test_numpy_problem_matches_the_cli_on_its_file(tmp_path, cli, backend, extra, spec):
    g = pbit.graph("chimera:2" if backend != "exact" else "chimera:1")
    rng = np.random.default_rng(5)
    p = pbit.Problem(g, {int(x): rng.normal(0, 0.5) for x in g.labels},
                     (g.edges[:, 0], g.edges[:, 1], rng.normal(0, 1, g.num_edges)))
    path = tmp_path / "problem.txt"
    p.write(str(path))
    s = pbit.NumericSpec(**spec)
    cli_spec = []
    for k, v in spec.items():
        cli_spec += ["--" + k.replace("_", "-"), v]
    options = {}
    if extra:
        options[extra[0][2:]] = extra[1]
    r = pbit.sample(p, backend, beta=0.8, sweeps=300, burn_in=20, chains=5, seed=3, spec=s, **options)
    doc = cli.json("sample", "--problem", path, "--backend", backend, "--beta", "0.8", "--sweeps", "300",
                   "--burn-in", "20", "--chains", "5", "--seed", "3", *cli_spec, *extra)
    assert_identical(r, doc, g)


def test_runs_in_pieces_give_the_same_bits():
    p = pbit.Problem.random("zephyr:1", couplings="gauss:1", fields="gauss:0.5", seed=2)
    r = pbit.sample(p, beta=1.5, sweeps=700, burn_in=0, chains=40, seed=11)
    with pbit.Sampler("ref") as s:
        s.load(p, beta=1.5)
        s.configure(chains=40, seed=11)
        for n in (1, 99, 300, 300):
            s.run(n)
        assert s.sweeps_done == 700
        st = s.stats()
        assert st.samples == 700 * 40
        assert np.array_equal(st.means, r.means) and np.array_equal(st.correlations, r.correlations)
        assert np.array_equal(s.states, r.states)


def test_sampler_interface():
    g = pbit.graph("chimera:2")
    p = pbit.Problem.random(g, couplings="gauss:1", seed=4)
    s = pbit.Sampler("ref", simd="scalar")
    assert s.name == "ref" and s.backend == "ref"
    s.load(p, beta=1.0)
    s.configure(chains=3, seed=5)
    assert s.chains == 3 and np.all(s.states == -1)
    # states in and out
    m = np.where(np.arange(3 * g.num_nodes).reshape(3, -1) % 3 == 0, 1, -1).astype(np.int8)
    s.set_states(m)
    assert np.array_equal(s.states, m)
    s.set_states(-m[1], first=2)
    assert np.array_equal(s.states[2], -m[1])
    # clamps hold their values in every chain
    mask = np.zeros(g.num_nodes, bool)
    mask[::5] = True
    values = np.ones(g.num_nodes, np.int8)
    s.clamp(mask, values)
    s.run(50)
    assert np.all(s.states[:, mask] == 1)
    assert np.all(s.stats().means[mask] == 1)
    per_chain = np.stack([values, -values, values])
    s.clamp(mask, per_chain)
    s.run(5, accumulate=False)
    assert np.all(s.states[1, mask] == -1) and np.all(s.states[0, mask] == 1)
    s.clear_clamps()
    s.reset_stats()
    assert s.stats().samples == 0
    # beta 0: every p-bit a fair coin
    s.set_beta(0.0)
    s.run(2000)
    assert np.abs(s.stats().means).max() < 0.1
    assert s.beta == 0.0 and s.problem == p and s.spec == pbit.NumericSpec()
    # new weights on the same graph keep the chains
    before = s.states
    s.update_weights(pbit.Problem(g))
    assert np.array_equal(s.states, before)
    with pytest.raises(pbit.Error, match="another graph"):
        s.update_weights(pbit.Problem.random("chimera:1"))
    s.close()
    with pytest.raises(pbit.Error, match="closed"):
        s.run(1)


def test_backends_listed_and_made():
    names = pbit.backends()
    for b in ("ref", "float", "exact", "rtl", "board"):
        assert b in names
    assert pbit.simd_paths()[0] == "scalar"
    for b in ("ref", "float", "exact"):
        assert pbit.Sampler(b).name.startswith(b)


def test_errors_are_the_librarys(cli):
    p = pbit.Problem.random("chimera:1")
    with pytest.raises(pbit.Error) as e:
        pbit.sample(p, "nosuch")
    assert str(e.value) == cli.error("sample", "--graph", "chimera:1", "--backend", "nosuch")
    assert "known: " in str(e.value) and "ref" in str(e.value)
    with pytest.raises(pbit.Error) as e:
        pbit.sample(p, beta=-1)
    assert str(e.value).replace("--", "") == cli.error("sample", "--graph", "chimera:1", "--beta", "-1").replace("--", "")
    with pytest.raises(pbit.Error) as e:
        pbit.sample(pbit.Problem.random("chimera:4"), "exact")
    assert str(e.value) == cli.error("sample", "--graph", "chimera:4", "--backend", "exact")
    with pytest.raises(pbit.Error, match="chains"):
        pbit.sample(p, chains=0)
    with pytest.raises(pbit.Error, match="sweeps must be >= 0"):
        pbit.sample(p, sweeps=-5)
    with pytest.raises(pbit.Error, match="sum_bits must be in \\[12, 24\\]"):
        pbit.sample(p, spec=pbit.NumericSpec().replace(weight_bits=12))
    with pytest.raises(TypeError, match="NumericSpec"):
        pbit.sample(p, spec="default")
    with pytest.raises(TypeError, match="backend 'ref' has no option 'port'"):
        pbit.Sampler("ref", port="/dev/null")
    with pytest.raises(TypeError, match="argument 'simd': wrong type int"):
        pbit.Sampler("ref", simd=3)
    with pytest.raises(pbit.Error, match="give port="):
        pbit.Sampler("board")
    with pytest.raises(pbit.Error, match="no problem loaded"):
        pbit.Sampler("ref").states
    with pytest.raises(pbit.Error, match="unknown SIMD|simd"):
        pbit.Sampler("ref", simd="sse9")
    s = pbit.Sampler("ref")
    s.load(p)
    s.configure(chains=2)
    with pytest.raises(pbit.Error, match="out of range"):
        s.set_states(np.ones((2, 8)), first=1)
    with pytest.raises(pbit.Error, match="-1 or \\+1"):
        s.set_states(np.zeros((1, 8)))
    with pytest.raises(pbit.Error, match="0/1"):
        s.clamp(np.full(8, 2), np.ones(8))


def test_the_gil_is_released_while_sampling():
    p = pbit.Problem.random("pegasus:4", seed=1)
    done = threading.Event()

    def work():
        pbit.sample(p, sweeps=20000, burn_in=0, chains=64, seed=1, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    spins = 0
    while not done.is_set():
        spins += 1  # Python keeps running while C++ samples
    t.join()
    assert spins > 10000
