#pragma once
// Topology generators. D-Wave families reproduce dwave-networkx exactly
// (default linear labels, same node and edge sets).
#include <pbit/graphs/graph.hpp>

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace pbit::graphs {

// Size limits for every generator (and make_graph): larger requests throw
// pbit::Error instead of exhausting memory or time. At these sizes the
// slowest case (a random graph, built and coloured twice by `pbit graph info`)
// takes a few seconds; a published Pegasus P(16) has 5,640 nodes.
inline constexpr std::uint64_t kMaxNodes = std::uint64_t{1} << 21;
inline constexpr std::uint64_t kMaxEdges = std::uint64_t{1} << 23;
// Node labels in files (edge lists, problem files) lie in [0, kMaxFileLabel].
inline constexpr Label kMaxFileLabel = 2147483647;  // 2^31 - 1

// dwave_networkx.chimera_graph(m, n, t); n = 0 means n = m.
Graph chimera(int m, int n = 0, int t = 4);
// dwave_networkx.pegasus_graph(m) (fabric_only=True, nice_coordinates=False). m >= 2.
Graph pegasus(int m);
// The offset lists pegasus() uses, dwave_networkx's default (offsets_index 0):
// orientation 0 = vertical qubits ("vertical_offsets"), 1 = horizontal.
const std::array<int, 12>& pegasus_offsets(int orientation);
// dwave_networkx.zephyr_graph(m, t). m >= 1.
Graph zephyr(int m, int t = 4);
// L x W square lattice (4-neighbour) / king's graph (8-neighbour), node r*W + c.
Graph lattice(int rows, int cols, bool periodic = false);
Graph king(int rows, int cols, bool periodic = false);
// Lattices: node r*W + c; periodic wraps around and needs both sides >= 3
// (smaller tori would have self-loops or doubled edges).
//
// Random d-regular graph on n nodes (n*d even, d < n), seeded, deterministic.
// Pairing model with rejection of loops/multi-edges and restarts; throws
// pbit::Error if no simple graph is found within a bounded number of restarts.
Graph random_regular(int n, int d, std::uint64_t seed);
// Erdos-Renyi G(n, p), seeded, deterministic (geometric edge skipping,
// Batagelj & Brandes 2005, driven by pbit::Rng).
Graph erdos_renyi(int n, double p, std::uint64_t seed);
// Edge-list file: one edge "u v" per line (non-negative integer labels), '#'
// comments and blank lines ignored. Nodes are the labels that appear. Labels
// must lie in [0, 2^31-1]. Errors (pbit::Error) name the file and line: missing
// or unreadable file, non-numeric token, wrong token count, self-loop,
// duplicate edge (either orientation), label out of range, no edges at all.
Graph read_edge_list(const std::string& path);
// The same from a stream; `path` names it in messages and in the spec "file:<path>".
Graph read_edge_list(std::istream& in, const std::string& path);

// Parse and build a graph spec:
//   chimera:M[,N[,T]]  pegasus:M  zephyr:M[,T]  lattice:LxW[,periodic]
//   king:LxW[,periodic]  regular:N,D,SEED  er:N,P,SEED  file:PATH
// Throws pbit::Error with a one-line message naming the problem.
// Graph::spec() of the result is canonical: every numeric parameter explicit,
// flags only when set ("chimera:2,2,4", "pegasus:14", "zephyr:4,4",
// "lattice:4x4", "king:8x8,periodic", "regular:100,3,7", "er:50,0.1,1",
// "file:PATH"), and make_graph(g.spec()) rebuilds the same graph.
Graph make_graph(const std::string& spec);

}  // namespace pbit::graphs
