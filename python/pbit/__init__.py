"""pbit: a p-bit sparse Ising machine, from Python.

The C++ library of this project (graphs, the numeric spec, problems, the
sampler backends, trained DBMs) with NumPy arrays and networkx graphs:

    import pbit
    g = pbit.graph("pegasus:4")
    p = pbit.Problem.random(g, couplings="pm1", seed=1)
    r = pbit.sample(p, "ref", beta=1.0, sweeps=1000, chains=32, seed=1)
    r.states          # int8 [chains, nodes], columns in g.labels order
    a = pbit.anneal(p, schedule="linear:0.1,3,1000", chains=32)

Errors in the input raise pbit.Error (a ValueError) with the library's message.
"""
from . import _pbit
from ._pbit import (
    AnnealResult,
    ClassifyResult,
    Dataset,
    Error,
    GenerateResult,
    Graph,
    JudgeResult,
    MaxCut,
    Model,
    NumericSpec,
    Planted,
    Problem,
    SampleResult,
    Sampler,
    Stats,
    anneal,
    backends,
    bars_and_stripes,
    load_dataset,
    load_model,
    pegasus_offsets,
    planted_problem,
    read_maxcut,
    sample,
    simd_paths,
)
from ._ising import SampleSet, sample_ising
from ._networkx import from_networkx, to_networkx

__version__ = _pbit.__version__

__all__ = [
    "AnnealResult", "ClassifyResult", "Dataset", "Error", "GenerateResult", "Graph", "JudgeResult",
    "MaxCut", "Model", "NumericSpec", "Planted", "Problem", "SampleResult", "SampleSet", "Sampler",
    "Stats", "anneal", "backends", "bars_and_stripes", "from_networkx", "graph", "load_dataset",
    "load_model", "pegasus_offsets", "planted_problem", "read_maxcut", "sample", "sample_ising",
    "simd_paths", "to_networkx",
]


def graph(spec):
    """A pbit.Graph from a spec ("pegasus:14", "chimera:2,2,4", "zephyr:2",
    "lattice:8x8", "king:4x4,periodic", "regular:N,D,SEED", "er:N,P,SEED",
    "file:PATH"), a networkx graph (see from_networkx) or a Graph (returned as is)."""
    if isinstance(spec, Graph):
        return spec
    if isinstance(spec, str):
        return _pbit._make_graph(spec)
    if hasattr(spec, "nodes") and hasattr(spec, "edges") and hasattr(spec, "graph"):
        return from_networkx(spec)
    raise TypeError("pbit.graph() takes a spec string, a networkx graph or a pbit.Graph, not "
                    + type(spec).__name__)


Graph.to_networkx = to_networkx
