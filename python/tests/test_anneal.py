"""pbit.anneal: bit for bit `pbit anneal --json`; planted problems; Max-Cut files."""
import numpy as np
import pytest

import pbit


def test_planted_anneal_matches_pbit_anneal(cli):
    pl = pbit.planted_problem("chimera:2", 0.5, 3, seed=3)
    assert pl.problem.energy(pl.ground_state) == pytest.approx(pl.ground_energy)
    assert pl.loops > 0 and np.all(pl.problem.h == 0)
    kw = dict(schedule="linear:0.1,3,200", sweeps_per_beta=2, chains=8, seed=2, target=pl.ground_energy,
              trace_points=10)
    r = pbit.anneal(pl.problem, "ref", **kw)
    doc = cli.json("anneal", "--graph", "chimera:2", "--planted", "0.5,3", "--problem-seed", "3",
                   "--betas", "linear:0.1,3,200", "--sweeps-per-beta", "2", "--chains", "8", "--seed", "2",
                   "--trace-points", "10")
    assert doc["planted_ground_energy"] == pl.ground_energy
    assert r.best_energy == doc["best_energy"] and r.best_chain == doc["best_chain"]
    assert r.final_energies.tolist() == doc["final_energies"]
    g = pl.problem.graph
    assert r.best_state.tolist() == [doc["best_state"][str(x)] for x in g.labels.tolist()]
    assert r.trace["sweeps"].tolist() == [t["sweeps"] for t in doc["trace"]]
    assert r.trace["mean_energy"].tolist() == [t["mean_energy"] for t in doc["trace"]]
    assert r.trace["beta"].tolist() == [t["beta"] for t in doc["trace"]]
    assert (r.successes, r.success_probability, r.sweeps) == (doc["successes"], doc["success_probability"],
                                                              doc["sweeps"])
    assert pl.problem.energy(r.best_state) == pytest.approx(r.best_energy)
    # the same betas as a list; another layout of ref; the float backend runs too
    betas = np.linspace(0.1, 3, 200)
    r2 = pbit.anneal(pl.problem, "ref", **dict(kw, schedule=betas), ref_layout="planes")
    assert r2.final_energies.tolist() == r.final_energies.tolist()
    f = pbit.anneal(pl.problem, "float", schedule="linear:0.1,3,200", chains=4)
    assert f.best_energy >= pl.ground_energy - 1e-9 and f.target is None and f.successes is None


def test_anneal_finds_the_planted_ground_state():
    pl = pbit.planted_problem("pegasus:3", 0.3, 2, seed=5)
    r = pbit.anneal(pl.problem, schedule="geometric:0.2,5,500", sweeps_per_beta=2, chains=16, seed=1,
                    target=pl.ground_energy)
    assert r.best_energy == pytest.approx(pl.ground_energy)
    assert r.successes >= 1 and r.tts99_seconds is not None


def test_maxcut_files(tmp_path, cli):
    path = tmp_path / "g.rudy"
    path.write_text("4 4\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n")  # a 4-cycle: max cut 4
    mc = pbit.read_maxcut(str(path))
    assert mc.total_weight == 4 and mc.problem.graph.labels.tolist() == [1, 2, 3, 4]
    r = pbit.anneal(mc.problem, schedule="linear:0.1,3,100", chains=4, target=mc.energy_of_cut(4))
    assert mc.cut(r.best_energy) == 4 and r.successes >= 1
    assert pbit.Problem.read(str(path)) == mc.problem
    doc = cli.json("anneal", "--problem", path, "--betas", "linear:0.1,3,100", "--chains", "4", "--target-cut", "4")
    assert r.final_energies.tolist() == doc["final_energies"]


def test_anneal_errors(cli, tmp_path):
    p = pbit.Problem.random("chimera:1")
    for schedule in ["linear:1,2", "geometric:0,1,10", "nosuch:1"]:
        with pytest.raises(pbit.Error) as e:
            pbit.anneal(p, schedule=schedule)
        assert str(e.value) == cli.error("anneal", "--graph", "chimera:1", "--betas", schedule)
    with pytest.raises(pbit.Error, match="exact backend"):
        pbit.anneal(p, "exact")
    with pytest.raises(pbit.Error, match="not finite"):
        pbit.anneal(p, schedule=[0.1, float("nan")])
    with pytest.raises(pbit.Error, match="sweeps_per_beta"):
        pbit.anneal(p, sweeps_per_beta=0)
    bad = tmp_path / "bad.rudy"
    bad.write_text("3 1\n1 5 1\n")
    with pytest.raises(pbit.Error) as e:
        pbit.read_maxcut(str(bad))
    assert str(e.value) == cli.error("anneal", "--problem", bad, "--format", "rudy")
