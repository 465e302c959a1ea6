"""An Ocean-like convenience: sample_ising(h, J) -> SampleSet, without dimod."""
from collections import namedtuple

import numpy as np

from . import _pbit

Sample = namedtuple("Sample", ["sample", "energy", "num_occurrences"])


class SampleSet:
    """Samples with their energies, like dimod's SampleSet.

    record: a NumPy record array with fields sample (int8 [n], -1/+1, columns
    in `variables` order), energy and num_occurrences, lowest energy first.
    """

    def __init__(self, record, variables, info):
        self.record = record
        self.variables = list(variables)
        self.info = dict(info)

    def __len__(self):
        return len(self.record)

    def __iter__(self):
        return iter(self.samples())

    def samples(self):
        """Every record's sample as a dict {label: -1/+1}."""
        return [dict(zip(self.variables, row.tolist())) for row in self.record.sample]

    def data(self):
        """(sample dict, energy, num_occurrences) per record, lowest energy first."""
        for row, e, n in zip(self.record.sample, self.record.energy, self.record.num_occurrences):
            yield Sample(dict(zip(self.variables, row.tolist())), float(e), int(n))

    @property
    def first(self):
        """The lowest-energy record."""
        if len(self.record) == 0:
            raise ValueError("empty SampleSet")
        return next(self.data())

    def lowest(self):
        """The records of the lowest energy."""
        e = self.record.energy
        keep = e == e.min() if len(e) else np.zeros(0, bool)
        return SampleSet(self.record[keep], self.variables, self.info)

    def __repr__(self):
        return "pbit.SampleSet(%d records, %d variables, lowest energy %s)" % (
            len(self.record), len(self.variables),
            ("%g" % self.record.energy.min()) if len(self.record) else "-")


def _nodes_and_edges(h, J):
    """The graph of a problem given without one: h's and J's labels, J's pairs."""
    nodes = set()
    if isinstance(h, dict):
        nodes.update(h)
    elif h is not None:
        nodes.update(range(len(h)))
    pairs = set()
    if isinstance(J, dict):
        keys = list(J)
    elif J is not None:
        coo = J.tocoo() if hasattr(J, "tocoo") else J
        if hasattr(coo, "row"):
            coo = (coo.row, coo.col, coo.data)
        if not (isinstance(coo, (tuple, list)) and len(coo) == 3):
            raise _pbit.Error("J: without a graph, give a dict {(u, v): J} or COO arrays (rows, cols, values)")
        keys = list(zip(np.asarray(coo[0]).tolist(), np.asarray(coo[1]).tolist()))
    else:
        keys = []
    for k in keys:
        if not (isinstance(k, tuple) and len(k) == 2):
            raise _pbit.Error("J[%r]: keys of J are pairs of node labels (u, v)" % (k,))
        u, v = k
        nodes.update((u, v))
        if u != v:
            pairs.add((min(u, v), max(u, v)))
    return sorted(nodes), sorted(pairs)


def sample_ising(h, J, *, num_reads=10, beta=1.0, sweeps=1000, seed=1, backend="ref", graph=None,
                 spec=None, aggregate=True, threads=0, **options):
    """Sample the Ising problem E(m) = -sum J_uv m_u m_v - sum h_i m_i (the sign
    convention of this project: dimod's energy is +sum h m + sum J m m, so
    pass -h and -J for a dimod BQM).

    h: dict {label: h} or a sequence (labels 0..n-1); J: dict {(u, v): J} or
    COO arrays (rows, cols, values) of labels. graph: a pbit.Graph, spec or
    networkx graph the problem lives on (default: the graph of h's and J's
    labels). num_reads chains run `sweeps` sweeps at `beta`, seeded from
    `seed`; each chain's final state is one read. Returns a SampleSet whose
    energies are those of the float weights; identical reads are merged
    (aggregate=True), counted in num_occurrences.
    """
    if graph is None:
        nodes, pairs = _nodes_and_edges(h, J)
        if not nodes:
            raise _pbit.Error("sample_ising: no variables in h or J")
        g = _pbit.Graph.from_edges(np.array(pairs, dtype=np.int64).reshape(-1, 2), nodes, "ising")
        if h is not None and not isinstance(h, dict):
            h = dict(enumerate(h))
    else:
        from . import graph as make_graph
        g = make_graph(graph)
    problem = _pbit.Problem(g, h, J)
    r = _pbit.sample(problem, backend, beta=beta, sweeps=sweeps, burn_in=0, chains=num_reads, seed=seed,
                     threads=threads, spec=spec, **options)
    states, energies = r.states, r.energies
    if aggregate:
        states, first, counts = np.unique(states, axis=0, return_index=True, return_counts=True)
        energies = energies[first]
    else:
        counts = np.ones(len(states), dtype=np.int64)
    order = np.argsort(energies, kind="stable")
    n = g.num_nodes
    record = np.rec.array(np.empty(len(order), dtype=[("sample", np.int8, (n,)), ("energy", np.float64),
                                                      ("num_occurrences", np.int64)]))
    record.sample = states[order]
    record.energy = energies[order]
    record.num_occurrences = counts[order]
    info = {"backend": r.backend, "beta": beta, "sweeps": sweeps, "num_reads": num_reads, "seed": seed,
            "seconds": r.seconds}
    return SampleSet(record, g.labels.tolist(), info)
