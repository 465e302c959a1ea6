// pbit.Graph: topologies with D-Wave labels, edges, colourings, coordinates.
#include "common.hpp"

#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/coordinates.hpp>
#include <pbit/graphs/generators.hpp>

#include <algorithm>
#include <cmath>

namespace pbit::python {
namespace {

using graphs::Family;
using graphs::Graph;
using graphs::Label;

constexpr Family kFamilies[] = {Family::Chimera,    Family::Pegasus, Family::Zephyr,
                                Family::Lattice,    Family::King,    Family::Regular,
                                Family::ErdosRenyi, Family::File};

Family parse_family(const std::string& name) {
  for (Family f : kFamilies)
    if (name == graphs::family_name(f)) return f;
  throw Error("unknown graph family '" + name + "'");
}

// Names of the coordinate tuple of a D-Wave family (dwave-networkx's order).
py::object coordinate_names(const Graph& g) {
  switch (g.family()) {
    case Family::Chimera:
      return py::make_tuple("i", "j", "u", "k");
    case Family::Pegasus:
      return py::make_tuple("u", "w", "k", "z");
    case Family::Zephyr:
      return py::make_tuple("u", "w", "k", "j", "z");
    default:
      return py::none();
  }
}

py::object coordinates_array(const Graph& g) {
  const auto n = static_cast<std::uint32_t>(g.num_nodes());
  if (n == 0 || !graphs::coordinates(g, 0)) return py::none();
  const std::size_t width = graphs::coordinates(g, 0)->size();
  std::vector<std::int32_t> out;
  out.reserve(std::size_t{n} * width);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto c = graphs::coordinates(g, i);
    out.insert(out.end(), c->begin(), c->end());
  }
  return to_array(out, {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(width)});
}

std::uint32_t index_of(const Graph& g, Label label) {
  const auto i = g.index_of(label);
  if (!i) throw py::key_error("node " + std::to_string(label) + " is not in graph " + g.spec());
  return *i;
}

std::vector<std::pair<Label, Label>> edge_pairs(const py::handle& edges, const std::string& what) {
  std::vector<std::pair<Label, Label>> out;
  py::array a = py::module_::import("numpy").attr("asarray")(edges);
  if (a.size() == 0) return out;
  if (a.ndim() != 2 || a.shape(1) != 2)
    throw Error(what + ": expected pairs of node labels ([E, 2])");
  const auto flat = as_int64_vector(a, what);
  for (std::size_t k = 0; k + 1 < flat.size(); k += 2) out.emplace_back(flat[k], flat[k + 1]);
  return out;
}

GraphPtr from_labeled(Family family, std::vector<int> params, const std::string& spec,
                      std::vector<Label> labels,
                      const std::vector<std::pair<Label, Label>>& edges) {
  for (const auto& [u, v] : edges) {
    labels.push_back(u);
    labels.push_back(v);
  }
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.empty()) throw Error("a graph needs at least one node");
  return std::make_shared<Graph>(
      Graph::from_labeled_edges(family, std::move(params), spec, std::move(labels), edges));
}

py::tuple graph_state(const Graph& g) {
  std::vector<std::int64_t> edges;
  edges.reserve(2 * g.num_edges());
  for (const auto& e : g.edges()) {
    edges.push_back(g.label(e.u));
    edges.push_back(g.label(e.v));
  }
  return py::make_tuple(graphs::family_name(g.family()), g.params(), g.spec(), to_array(g.labels()),
                        to_array(edges, {static_cast<py::ssize_t>(g.num_edges()), 2}));
}

}  // namespace

void bind_graphs(py::module_& m) {
  py::class_<Graph, GraphPtr> c(m, "Graph",
                                R"(A sparse undirected graph with D-Wave-compatible node labels.

Nodes carry dwave-networkx's linear labels (ascending; not contiguous for
Pegasus); every per-node array of this module is in that order (position i
is node labels[i]), every per-edge array in the order of `edges`.
Build one with pbit.graph("pegasus:4"), Graph.from_edges(...) or
pbit.from_networkx(G).)");

  c.def_static(
       "from_edges",
       [](const py::object& edges, const py::object& nodes, const std::string& spec) {
         std::vector<Label> labels;
         if (!nodes.is_none()) {
           const auto v = as_int64_vector(nodes, "nodes");
           labels.assign(v.begin(), v.end());
         }
         auto pairs = edge_pairs(edges, "edges");
         py::gil_scoped_release release;
         return from_labeled(Family::File, {}, spec, std::move(labels), pairs);
       },
       py::arg("edges"), py::arg("nodes") = py::none(), py::arg("spec") = "python",
       "A graph from pairs of integer node labels ([E, 2]); `nodes` adds isolated nodes.\n"
       "Self-loops and duplicate edges are errors.")
      .def_static("_from_labeled_edges",
                  [](const std::string& family, std::vector<int> params, const std::string& spec,
                     const py::object& nodes, const py::object& edges) {
                    const auto v = as_int64_vector(nodes, "nodes");
                    auto pairs = edge_pairs(edges, "edges");
                    const Family f = parse_family(family);
                    py::gil_scoped_release release;
                    return from_labeled(f, std::move(params), spec,
                                        std::vector<Label>(v.begin(), v.end()), pairs);
                  })
      .def_property_readonly("spec", &Graph::spec,
                             "canonical spec, e.g. 'pegasus:4' (make_graph(spec) rebuilds it)")
      .def_property_readonly("family",
                             [](const Graph& g) { return graphs::family_name(g.family()); })
      .def_property_readonly("params", &Graph::params, "generator parameters, e.g. [m] for Pegasus")
      .def_property_readonly("num_nodes", &Graph::num_nodes)
      .def_property_readonly("num_edges", &Graph::num_edges)
      .def("__len__", &Graph::num_nodes)
      .def("__contains__", [](const Graph& g, Label l) { return g.index_of(l).has_value(); })
      .def_property_readonly(
          "labels", [](const Graph& g) { return to_array(g.labels()); },
          "node labels, ascending (int64 [nodes])")
      .def_property_readonly(
          "edges",
          [](const Graph& g) {
            std::vector<std::int64_t> out;
            out.reserve(2 * g.num_edges());
            for (const auto& e : g.edges()) {
              out.push_back(g.label(e.u));
              out.push_back(g.label(e.v));
            }
            return to_array(out, {static_cast<py::ssize_t>(g.num_edges()), 2});
          },
          "edges as label pairs (u < v), sorted (int64 [edges, 2])")
      .def_property_readonly(
          "edge_index",
          [](const Graph& g) {
            std::vector<std::uint32_t> out;
            out.reserve(2 * g.num_edges());
            for (const auto& e : g.edges()) {
              out.push_back(e.u);
              out.push_back(e.v);
            }
            return to_array(out, {static_cast<py::ssize_t>(g.num_edges()), 2});
          },
          "edges as pairs of node positions (uint32 [edges, 2])")
      .def_property_readonly("degrees",
                             [](const Graph& g) {
                               std::vector<std::uint32_t> d(g.num_nodes());
                               for (std::uint32_t i = 0; i < d.size(); ++i) d[i] = g.degree(i);
                               return to_array(d);
                             })
      .def_property_readonly(
          "adjacency",
          [](const Graph& g) {
            return py::make_tuple(to_array(g.adj_offsets()), to_array(g.adj()));
          },
          "CSR adjacency (offsets [nodes + 1], neighbour positions), neighbours ascending")
      .def(
          "index", [](const Graph& g, Label l) { return index_of(g, l); }, py::arg("label"),
          "position of a node label (KeyError if absent)")
      .def(
          "indices",
          [](const Graph& g, const py::object& labels) {
            const auto v = as_int64_vector(labels, "labels");
            std::vector<std::uint32_t> out(v.size());
            for (std::size_t k = 0; k < v.size(); ++k) out[k] = index_of(g, v[k]);
            return to_array(out);
          },
          py::arg("labels"), "positions of node labels (KeyError for one not in the graph)")
      .def(
          "label",
          [](const Graph& g, std::int64_t i) {
            if (i < 0 || static_cast<std::size_t>(i) >= g.num_nodes())
              throw py::index_error("node position " + std::to_string(i) + " out of range [0, " +
                                    std::to_string(g.num_nodes()) + ")");
            return g.label(static_cast<std::uint32_t>(i));
          },
          py::arg("index"))
      .def("has_edge",
           [](const Graph& g, Label a, Label b) {
             const auto i = g.index_of(a), j = g.index_of(b);
             return i && j && *i != *j && g.has_edge(*i, *j);
           })
      .def(
          "coloring",
          [](const Graph& g) {
            graphs::Coloring col;
            {
              py::gil_scoped_release release;
              col = graphs::best_coloring(g);
            }
            py::dict d;
            d["colors"] = to_array(col.color);
            d["num_colors"] = col.num_colors;
            d["method"] = col.method;
            return d;
          },
          "the colouring the samplers use (one phase per colour): {'colors', 'num_colors', "
          "'method'}")
      .def_property_readonly(
          "colors",
          [](const Graph& g) {
            py::gil_scoped_release release;
            return graphs::best_coloring(g).color;
          },
          "colour of every node (see coloring())")
      .def_property_readonly(
          "coordinates", &coordinates_array,
          "D-Wave coordinates per node (int32 [nodes, 4 or 5]; None for other families)")
      .def_property_readonly(
          "coordinate_names", &coordinate_names,
          "('i','j','u','k') Chimera, ('u','w','k','z') Pegasus, ('u','w','k','j','z') Zephyr")
      .def("__eq__",
           [](const Graph& a, const Graph& b) {
             return a.family() == b.family() && a.params() == b.params() &&
                    a.labels() == b.labels() && a.edges() == b.edges();
           })
      .def("__repr__",
           [](const Graph& g) {
             return "pbit.Graph('" + g.spec() + "', nodes=" + std::to_string(g.num_nodes()) +
                    ", edges=" + std::to_string(g.num_edges()) + ")";
           })
      .def(py::pickle([](const Graph& g) { return graph_state(g); },
                      [](const py::tuple& t) {
                        if (t.size() != 5) throw Error("bad pickled Graph");
                        return from_labeled(
                            parse_family(t[0].cast<std::string>()), t[1].cast<std::vector<int>>(),
                            t[2].cast<std::string>(),
                            [&] {
                              const auto v = as_int64_vector(t[3], "nodes");
                              return std::vector<Label>(v.begin(), v.end());
                            }(),
                            edge_pairs(t[4], "edges"));
                      }));
  c.attr("__hash__") = py::none();

  m.def(
      "_make_graph",
      [](const std::string& spec) {
        py::gil_scoped_release release;
        return std::make_shared<Graph>(graphs::make_graph(spec));
      },
      py::arg("spec"));
  m.def(
      "pegasus_offsets",
      [](int orientation) {
        const auto& a = graphs::pegasus_offsets(orientation);
        return std::vector<int>(a.begin(), a.end());
      },
      py::arg("orientation"),
      "dwave-networkx's default Pegasus offset list: 0 = vertical_offsets, 1 = horizontal_offsets");
}

}  // namespace pbit::python
