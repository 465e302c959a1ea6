"""Trained DBMs from Python: a checkpoint of `pbit train`, classified and
generated bit for bit as `pbit eval` / `pbit generate` do."""
import numpy as np
import pytest

import pbit


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, cli):
    out = tmp_path_factory.mktemp("dbm") / "run"
    cli.run("train", "--dataset", "bas:3", "--graph", "chimera:2", "--classes", "2", "--label-copies", "2",
            "--batch", "7", "--chains", "14", "--epochs", "3", "--threads", "1", "--monitor-images", "14",
            "--samples-per-class", "1", "--quiet", "--out", out)
    return str(out)


def test_load_checkpoint(run_dir):
    m = pbit.load_model(run_dir)
    m2 = pbit.load_model(run_dir + "/checkpoint.pbit")
    assert m.path == m2.path and m.problem == m2.problem
    assert m.arch["classes"] == 2 and m.arch["label_copies"] == 2 and (m.arch["rows"], m.arch["cols"]) == (3, 3)
    assert m.graph == pbit.graph("chimera:2") and m.epoch == 3 and m.dataset == "bas:3"
    assert m.spec == pbit.NumericSpec() and m.beta > 0
    nodes = np.concatenate([m.pixel_nodes, m.label_nodes.ravel(), m.hidden_nodes])
    assert m.label_nodes.shape == (2, 2) and len(m.pixel_nodes) == 9
    assert sorted(nodes.tolist()) == list(range(m.graph.num_nodes))
    assert np.abs(m.problem.J).max() > 0  # trained weights


def test_eval_is_pbit_evals(run_dir, cli):
    m = pbit.load_model(run_dir)
    for kw, flags in [({}, []),
                      (dict(replicas=3, burn_in=5, reads=4, readout="prob", seed=2),
                       ["--replicas", "3", "--burn-in", "5", "--reads", "4", "--readout", "prob", "--seed", "2"]),
                      (dict(spec=m.spec.replace(rng="lfsr32"), readout="bits", anneal="linear:0.5,1,2"),
                       ["--rng", "lfsr32", "--readout", "bits", "--anneal", "linear:0.5,1,2"])]:
        r = m.eval(**kw)
        doc = cli.json("eval", "--model", run_dir, *flags)
        assert r.images == doc["images"] == 14
        assert r.accuracy == doc["accuracy"]
        assert r.confusion.tolist() == doc["confusion"]
        assert r.accuracy_by_reads.tolist() == [x["accuracy"] for x in doc["accuracy_by_sweeps"]]
        assert r.sweeps.tolist() == [x["sweeps"] for x in doc["accuracy_by_sweeps"]]


def test_classify_numpy_images(run_dir):
    m = pbit.load_model(run_dir)
    train, test = pbit.load_dataset("bas:3")
    assert test.images.shape == (14, 3, 3) and test.images.dtype == np.uint8
    r = m.eval()
    c = m.classify(test.images, test.labels)
    assert c.accuracy == r.accuracy and np.array_equal(c.predictions, r.predictions)
    flat = m.classify(test.images.reshape(14, 9) // 255)  # 0/1 pixels, no labels
    assert flat.accuracy is None and flat.confusion is None
    assert np.array_equal(flat.predictions, r.predictions)


def test_generate_and_judge_are_pbit_generates(run_dir, cli, tmp_path):
    m = pbit.load_model(run_dir)
    g = m.generate(per_class=3, schedule="linear:0.2,1,3", seed=4)
    assert g.images.shape == (6, 3, 3) and g.last.shape == (6, 3, 3)
    assert g.classes.tolist() == [0, 0, 0, 1, 1, 1]
    assert g.images.min() >= 0 and g.images.max() <= 1 and set(np.unique(g.last)) <= {0, 1}
    again = m.generate(per_class=3, schedule=[0.2, 0.6, 1.0], seed=4)  # the same schedule as factors
    assert np.array_equal(again.images, g.images)
    other = m.generate(per_class=3, schedule="linear:0.2,1,3", seed=5)
    assert not np.array_equal(other.last, g.last) or not np.array_equal(other.images, g.images)
    j = m.judge(g)
    doc = cli.json("generate", "--model", run_dir, "--per-class", "3", "--anneal", "linear:0.2,1,3", "--seed", "4",
                   "--out", tmp_path / "g.png")
    assert j.samples == doc["judge"]["samples"] == 6
    assert j.agreement == doc["judge"]["agreement"]
    assert j.nn_distance == doc["judge"]["nn_distance"]
    assert j.confusion.tolist() == doc["judge"]["confusion"]
    one = m.generate(per_class=2, classes=[1], schedule="1")
    assert one.classes.tolist() == [1, 1]


def test_dbm_errors(run_dir, cli, tmp_path):
    missing = str(tmp_path / "nothing")
    with pytest.raises(pbit.Error) as e:
        pbit.load_model(missing)
    assert str(e.value) == cli.error("eval", "--model", missing)
    m = pbit.load_model(run_dir)
    with pytest.raises(pbit.Error, match=r"\[N, 3, 3\]"):
        m.classify(np.zeros((2, 4, 4)))
    with pytest.raises(pbit.Error, match="0..255"):
        m.classify(np.full((2, 9), 300))
    with pytest.raises(pbit.Error, match="out of range"):
        m.classify(np.zeros((2, 9)), [0, 5])
    with pytest.raises(pbit.Error, match="readout"):
        m.eval(readout="nosuch")
    with pytest.raises(pbit.Error, match="bas:N"):
        pbit.load_dataset("bas:99")
    with pytest.raises(TypeError, match="no option"):
        m.eval(nosuch=1)


def test_model_files_as_pbit_model_import_reads_them(run_dir, cli, tmp_path):
    m = pbit.load_model(run_dir)
    assert m.method in ("boltzmann", "hybrid") and m.source == ""
    # JSON written by the CLI, read here; and written here, imported by the CLI
    cli.run("model", "export", "--model", run_dir, "--out", tmp_path / "cli.json")
    j = pbit.load_model(str(tmp_path / "cli.json"))
    assert j.problem == m.problem and j.spec == m.spec and j.beta == m.beta
    assert np.array_equal(j.pixel_nodes, m.pixel_nodes) and np.array_equal(j.label_nodes, m.label_nodes)
    assert j.source.endswith("cli.json")
    m.export(str(tmp_path / "py.json"))
    cli.run("model", "import", tmp_path / "py.json", "--out", tmp_path / "imported")
    doc = cli.json("eval", "--model", tmp_path / "imported", "--replicas", "2", "--reads", "3")
    r = pbit.load_model(str(tmp_path / "py.json")).eval(replicas=2, reads=3)
    assert r.accuracy == doc["accuracy"] and r.confusion.tolist() == doc["confusion"]
    # MATLAB .mat, both ways, with the two label copies named
    names = dict(labels=["index_sticker1", "index_sticker2"], rows=3, cols=3, graph="chimera:2")
    m.export(str(tmp_path / "py.mat"))
    mat = pbit.load_model(str(tmp_path / "py.mat"), spec=m.spec, beta=m.beta, dataset="bas:3", **names)
    assert mat.problem == m.problem and mat.graph == m.graph
    cli.run("model", "import", tmp_path / "py.mat", "--out", tmp_path / "mat", "--labels",
            "index_sticker1,index_sticker2", "--rows", "3", "--cols", "3", "--graph", "chimera:2",
            "--beta", repr(m.beta), "--dataset", "bas:3")
    imported = pbit.load_model(str(tmp_path / "mat"))
    assert imported.spec == pbit.load_model(str(tmp_path / "py.mat"), **names).spec  # the import default
    assert imported.problem == mat.problem
    # save() writes what pbit eval reads
    mat.save(str(tmp_path / "saved"))
    doc = cli.json("eval", "--model", tmp_path / "saved", "--reads", "2")
    assert mat.eval(reads=2).accuracy == doc["accuracy"]


def test_model_file_errors(cli, tmp_path, run_dir):
    missing = str(tmp_path / "none.json")
    with pytest.raises(pbit.Error) as e:
        pbit.load_model(missing)
    assert str(e.value) == cli.error("model", "import", missing, "--out", tmp_path / "x")
    with pytest.raises(TypeError, match="no option 'labels'"):
        pbit.load_model(missing, labels=["a"])
    with pytest.raises(pbit.Error, match="format"):
        pbit.load_model(run_dir).export(str(tmp_path / "model.txt"))
