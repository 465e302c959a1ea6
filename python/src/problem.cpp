// pbit.NumericSpec (the hardware's arithmetic) and pbit.Problem (J, h on a graph).
#include "common.hpp"

#include <pbit/graphs/generators.hpp>
#include <pbit/problem_rudy.hpp>
#include <pbit/program.hpp>

#include <fstream>
#include <sstream>

namespace pbit::python {
namespace {

// ---------------------------------------------------------------- NumericSpec

constexpr const char* kSpecFields[] = {"weight_bits",  "frac_bits", "sum_bits", "lut_depth",
                                       "lut_shift",    "lut_bits",  "rng",      "schedule",
                                       "async_period", "beta_mode"};

py::dict spec_asdict(const NumericSpec& s) {
  py::dict d;
  d["weight_bits"] = s.weight_bits;
  d["frac_bits"] = s.frac_bits;
  d["sum_bits"] = s.sum_bits;
  d["lut_depth"] = s.lut_depth;
  d["lut_shift"] = s.lut_shift;
  d["lut_bits"] = s.lut_bits;
  d["rng"] = to_string(s.rng);
  d["schedule"] = to_string(s.schedule);
  d["async_period"] = s.async_period;
  d["beta_mode"] = to_string(s.beta_mode);
  return d;
}

int int_field(const py::handle& v, const std::string& name) {
  if (!py::isinstance<py::int_>(v) || py::isinstance<py::bool_>(v))
    throw py::type_error("NumericSpec." + name + " must be an int");
  return v.cast<int>();
}

std::string str_field(const py::handle& v, const std::string& name) {
  if (!py::isinstance<py::str>(v)) throw py::type_error("NumericSpec." + name + " must be a str");
  return v.cast<std::string>();
}

// Applies keyword fields to s as the CLI's options do: lut_shift left out
// (or None) means the covering shift of sum_bits and lut_depth, recomputed
// when either is given (always for a fresh spec).
void apply_fields(NumericSpec& s, const py::kwargs& kw, bool fresh) {
  bool shift_given = false, range_given = fresh;
  py::object shift = py::none();
  for (const auto& item : kw) {
    const auto key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (key == "weight_bits")
      s.weight_bits = int_field(v, key);
    else if (key == "frac_bits")
      s.frac_bits = int_field(v, key);
    else if (key == "sum_bits")
      s.sum_bits = int_field(v, key), range_given = true;
    else if (key == "lut_depth")
      s.lut_depth = int_field(v, key), range_given = true;
    else if (key == "lut_shift")
      shift = py::reinterpret_borrow<py::object>(v), shift_given = !shift.is_none();
    else if (key == "lut_bits")
      s.lut_bits = int_field(v, key);
    else if (key == "rng")
      s.rng = parse_rng_kind(str_field(v, key));
    else if (key == "schedule")
      s.schedule = parse_schedule(str_field(v, key));
    else if (key == "async_period")
      s.async_period = int_field(v, key);
    else if (key == "beta_mode")
      s.beta_mode = parse_beta_mode(str_field(v, key));
    else
      throw py::type_error("NumericSpec has no field '" + key + "'");
  }
  if (shift_given) {
    s.lut_shift = int_field(shift, "lut_shift");
  } else if (range_given) {
    if (s.sum_bits < 2 || s.sum_bits > 24) s.validate();  // the range error before covering_shift
    s.lut_shift = NumericSpec::covering_shift(s.sum_bits, s.lut_depth);
  }
  s.validate();
}

std::string spec_repr(const NumericSpec& s) {
  std::ostringstream o;
  o << "pbit.NumericSpec(weight_bits=" << s.weight_bits << ", frac_bits=" << s.frac_bits
    << ", sum_bits=" << s.sum_bits << ", lut_depth=" << s.lut_depth << ", lut_shift=" << s.lut_shift
    << ", lut_bits=" << s.lut_bits << ", rng='" << to_string(s.rng) << "', schedule='"
    << to_string(s.schedule) << "', async_period=" << s.async_period << ", beta_mode='"
    << to_string(s.beta_mode) << "')";
  return o.str();
}

bool spec_equal(const NumericSpec& a, const NumericSpec& b) {
  return a.weight_bits == b.weight_bits && a.frac_bits == b.frac_bits && a.sum_bits == b.sum_bits &&
         a.lut_depth == b.lut_depth && a.lut_shift == b.lut_shift && a.lut_bits == b.lut_bits &&
         a.rng == b.rng && a.schedule == b.schedule && a.async_period == b.async_period &&
         a.beta_mode == b.beta_mode;
}

void bind_spec(py::module_& m) {
  py::class_<NumericSpec> c(
      m, "NumericSpec", R"(The numeric spec: the hardware's arithmetic (host/include/pbit/spec.hpp).

Keyword-only fields, defaults from the C++ spec: weight_bits, frac_bits,
sum_bits, lut_depth, lut_shift (left out: the smallest shift covering the sum
range, as the CLI does), lut_bits, rng ('xorshift32' | 'lfsr32'), schedule
('chromatic' | 'async'), async_period, beta_mode ('lut' | 'fold').
Like a frozen dataclass: asdict(), replace(**changes), ==, repr, pickle.)");
  c.def(py::init([](const py::kwargs& kw) {
     NumericSpec s;
     apply_fields(s, kw, true);
     return s;
   }))
      .def_readonly("weight_bits", &NumericSpec::weight_bits)
      .def_readonly("frac_bits", &NumericSpec::frac_bits)
      .def_readonly("sum_bits", &NumericSpec::sum_bits)
      .def_readonly("lut_depth", &NumericSpec::lut_depth)
      .def_readonly("lut_shift", &NumericSpec::lut_shift)
      .def_readonly("lut_bits", &NumericSpec::lut_bits)
      .def_property_readonly("rng", [](const NumericSpec& s) { return to_string(s.rng); })
      .def_property_readonly("schedule", [](const NumericSpec& s) { return to_string(s.schedule); })
      .def_readonly("async_period", &NumericSpec::async_period)
      .def_property_readonly("beta_mode",
                             [](const NumericSpec& s) { return to_string(s.beta_mode); })
      .def("asdict", &spec_asdict, "the fields as a dict (what NumericSpec(**d) takes back)")
      .def(
          "replace",
          [](const NumericSpec& s, const py::kwargs& kw) {
            NumericSpec r = s;
            apply_fields(r, kw, false);
            return r;
          },
          "a copy with some fields changed (lut_shift follows sum_bits / lut_depth unless given)")
      .def(
          "lut",
          [](const NumericSpec& s, double beta) {
            if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
            return to_array(make_lut(s, beta));
          },
          py::arg("beta"), "the tanh LUT for beta (int32 [lut_depth])")
      .def(
          "quantize",
          [](const NumericSpec& s, const py::object& x) {
            const auto v = as_finite_vector(x, "quantize");
            std::vector<std::int32_t> q(v.size());
            for (std::size_t k = 0; k < v.size(); ++k) q[k] = quantize_weight(v[k], s);
            return to_array(q);
          },
          py::arg("x"),
          "weights in fixed point: round to nearest (ties away from zero), saturate (int32)")
      .def(
          "dequantize",
          [](const NumericSpec& s, const py::object& q) {
            const auto v = as_int64_vector(q, "dequantize");
            std::vector<double> out(v.size());
            for (std::size_t k = 0; k < v.size(); ++k)
              out[k] = dequantize(static_cast<std::int32_t>(v[k]), s);
            return to_array(out);
          },
          py::arg("q"))
      .def("cycles_per_sweep", &NumericSpec::cycles_per_sweep, py::arg("num_colors"))
      .def("__eq__", &spec_equal)
      .def("__repr__", &spec_repr)
      .def(py::pickle([](const NumericSpec& s) { return spec_asdict(s); },
                      [](const py::dict& d) {
                        NumericSpec s;
                        py::kwargs kw;
                        for (const auto& it : d) kw[it.first] = it.second;
                        apply_fields(s, kw, true);
                        return s;
                      }));
  c.attr("__hash__") = py::none();
  py::tuple names(std::size(kSpecFields));
  for (std::size_t k = 0; k < std::size(kSpecFields); ++k) names[k] = kSpecFields[k];
  c.attr("fields") = names;
}

// ---------------------------------------------------------------- Problem

std::shared_ptr<const graphs::Graph> to_graph(const py::object& g) {
  if (py::isinstance<graphs::Graph>(g)) return g.cast<GraphPtr>();
  // Specs and networkx graphs go through pbit.graph().
  return py::module_::import("pbit").attr("graph")(g).cast<GraphPtr>();
}

std::string label_text(const py::handle& v) {
  return py::repr(v).cast<std::string>();
}

graphs::Label as_label(const py::handle& v, const std::string& where) {
  if (py::isinstance<py::bool_>(v) || !(py::isinstance<py::int_>(v) || py::hasattr(v, "__index__")))
    throw Error(where + ": node label " + label_text(v) + " is not an integer");
  return v.cast<graphs::Label>();
}

double as_value(const py::handle& v, const std::string& where) {
  double x = 0;
  try {
    x = py::float_(py::reinterpret_borrow<py::object>(v)).cast<double>();
  } catch (const py::error_already_set&) {
    throw Error(where + ": value " + label_text(v) + " is not a number");
  }
  if (!std::isfinite(x)) throw Error(where + ": value is not finite (NaN/inf)");
  return x;
}

bool is_coo_triple(const py::handle& j) {
  if (!py::isinstance<py::tuple>(j) && !py::isinstance<py::list>(j)) return false;
  if (py::len(j) != 3) return false;
  const auto np = py::module_::import("numpy");
  for (const auto& x : j)
    if (np.attr("ndim")(x).cast<int>() != 1) return false;
  return true;
}

// h: None | {label: value} | vector [nodes]; J: None | {(u, v): value} |
// COO (row labels, col labels, values) as a triple or an object with
// row/col/data (scipy.sparse: anything with tocoo()) | vector [edges].
Problem make_problem(const py::object& graph, const py::object& h, const py::object& J) {
  const auto g = to_graph(graph);
  std::vector<ProblemTerm> terms;
  std::optional<std::vector<double>> hv, jv;
  if (py::isinstance<py::dict>(h)) {
    for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(h)) {
      const std::string where = "h[" + label_text(k) + "]";
      const auto a = as_label(k, where);
      terms.push_back({a, a, as_value(v, where), where});
    }
  } else if (!h.is_none()) {
    hv = as_finite_vector(h, "h");
    if (py::module_::import("numpy").attr("ndim")(h).cast<int>() != 1 ||
        hv->size() != g->num_nodes())
      throw Error("h: a vector needs one entry per node (" + std::to_string(g->num_nodes()) +
                  ", in label order); give a dict {label: h} for some nodes");
  }
  py::object coo = J;
  if (!J.is_none() && !py::isinstance<py::dict>(J) && py::hasattr(J, "tocoo"))
    coo = J.attr("tocoo")();
  if (py::isinstance<py::dict>(J)) {
    for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(J)) {
      const std::string where = "J[" + label_text(k) + "]";
      if (!py::isinstance<py::tuple>(k) || py::len(k) != 2)
        throw Error(where + ": keys of J are pairs of node labels (u, v)");
      const auto kt = py::reinterpret_borrow<py::tuple>(k);
      const auto a = as_label(kt[0], where), b = as_label(kt[1], where);
      if (a == b) throw Error(where + ": a coupling of a node with itself (give fields in h)");
      terms.push_back({a, b, as_value(v, where), where});
    }
  } else if (py::hasattr(coo, "row") && py::hasattr(coo, "col") && py::hasattr(coo, "data")) {
    coo = py::make_tuple(coo.attr("row"), coo.attr("col"), coo.attr("data"));
  }
  if (!J.is_none() && !py::isinstance<py::dict>(J)) {
    if (is_coo_triple(coo)) {
      const auto row = as_int64_vector(coo[py::int_(0)], "J rows");
      const auto col = as_int64_vector(coo[py::int_(1)], "J columns");
      const auto val = as_finite_vector(coo[py::int_(2)], "J values");
      if (row.size() != col.size() || row.size() != val.size())
        throw Error("J: COO arrays of different lengths (" + std::to_string(row.size()) + ", " +
                    std::to_string(col.size()) + ", " + std::to_string(val.size()) + ")");
      for (std::size_t k = 0; k < row.size(); ++k) {
        const std::string where = "J[" + std::to_string(k) + "] (" + std::to_string(row[k]) + ", " +
                                  std::to_string(col[k]) + ")";
        if (row[k] == col[k])
          throw Error(where + ": a coupling of a node with itself (give fields in h)");
        terms.push_back({row[k], col[k], val[k], where});
      }
    } else {
      const int nd = py::module_::import("numpy").attr("ndim")(J).cast<int>();
      if (nd != 1)
        throw Error(
            "J: give a dict {(u, v): J}, COO arrays (rows, cols, values) of node labels, or a "
            "vector with "
            "one entry per edge (dense matrices are not accepted)");
      jv = as_finite_vector(J, "J");
      if (jv->size() != g->num_edges())
        throw Error("J: a vector needs one entry per edge (" + std::to_string(g->num_edges()) +
                    ", in the order of graph.edges); got " + std::to_string(jv->size()));
    }
  }
  Problem p;
  {
    py::gil_scoped_release release;
    p = problem_from_terms(g, terms);
  }
  if (hv) p.h = *hv;
  if (jv) p.J = *jv;
  return p;
}

std::string write_problem_string(const Problem& p) {
  std::ostringstream o;
  write_problem_text(o, p);
  return o.str();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void bind_problem_class(py::module_& m) {
  py::class_<Problem> c(m, "Problem",
                        R"(An Ising problem on a graph: E(m) = -sum_edges J m_u m_v - sum_i h_i m_i.

Problem(graph, h=None, J=None): graph is a pbit.Graph, a spec string or a
networkx graph; h is a dict {label: h} or a vector with one entry per node
(label order); J is a dict {(u, v): J}, COO arrays (rows, cols, values) of
node labels (a triple, or scipy.sparse), or a vector with one entry per edge
(graph.edges order). Terms not given are 0; unknown nodes, couplings on
non-edges, duplicates (either orientation) and NaN/inf raise pbit.Error.)");
  c.def(py::init(&make_problem), py::arg("graph"), py::arg("h") = py::none(),
        py::arg("J") = py::none())
      .def_property_readonly("graph", [](const Problem& p) { return mutable_graph(p.graph); })
      .def_property_readonly("num_nodes", &Problem::num_nodes)
      .def_property_readonly("num_edges", &Problem::num_edges)
      .def_property(
          "h", [](const Problem& p) { return to_array(p.h); },
          [](Problem& p, const py::object& v) {
            auto h = as_finite_vector(v, "h");
            if (h.size() != p.num_nodes())
              throw Error("h: " + std::to_string(h.size()) + " entries, the graph has " +
                          std::to_string(p.num_nodes()) + " nodes");
            p.h = std::move(h);
          },
          "fields per node, label order (float64 [nodes]; a copy: assign to change)")
      .def_property(
          "J", [](const Problem& p) { return to_array(p.J); },
          [](Problem& p, const py::object& v) {
            auto j = as_finite_vector(v, "J");
            if (j.size() != p.num_edges())
              throw Error("J: " + std::to_string(j.size()) + " entries, the graph has " +
                          std::to_string(p.num_edges()) + " edges");
            p.J = std::move(j);
          },
          "couplings per edge, graph.edges order (float64 [edges]; a copy: assign to change)")
      .def(
          "energy",
          [](const Problem& p, const py::object& states) -> py::object {
            bool one = false;
            const auto s = as_states(states, p.num_nodes(), "states", &one);
            std::vector<double> e(s.size());
            {
              py::gil_scoped_release release;
              for (std::size_t k = 0; k < s.size(); ++k) e[k] = p.energy(s[k]);
            }
            if (one) return py::float_(e[0]);
            return to_array(e);
          },
          py::arg("states"),
          "energy of a -1/+1 state [nodes] (a float) or of each row of [k, nodes]")
      .def(
          "to_ising",
          [](const Problem& p) {
            const auto& g = *p.graph;
            py::dict h, J;
            for (std::uint32_t i = 0; i < g.num_nodes(); ++i) h[py::int_(g.label(i))] = p.h[i];
            for (std::size_t k = 0; k < g.num_edges(); ++k)
              J[py::make_tuple(g.label(g.edges()[k].u), g.label(g.edges()[k].v))] = p.J[k];
            return py::make_tuple(h, J);
          },
          "(h, J) as dicts by node label, every node and edge (what Problem(graph, h, J) takes "
          "back)")
      .def_static(
          "random",
          [](const py::object& graph, const std::string& couplings, const std::string& fields,
             std::uint64_t seed) {
            const auto g = to_graph(graph);
            const auto cd = WeightDist::parse(couplings), fd = WeightDist::parse(fields);
            py::gil_scoped_release release;
            return random_problem(g, cd, fd, seed);
          },
          py::arg("graph"), py::arg("couplings") = "pm1", py::arg("fields") = "zero",
          py::arg("seed") = 1,
          "random weights as `pbit sample --graph G --couplings C --fields F --problem-seed S`:\n"
          "pm1 | uniform:A | gauss:S | const:C | zero")
      .def_static(
          "read",
          [](const std::string& path, const py::object& graph, const std::string& format) {
            std::shared_ptr<const graphs::Graph> g;
            if (!graph.is_none()) g = to_graph(graph);
            const ProblemFormat f = parse_problem_format(format);
            py::gil_scoped_release release;
            return read_problem_file(path, g, f).problem;
          },
          py::arg("path"), py::arg("graph") = py::none(), py::arg("format") = "auto",
          "a problem file as `pbit sample --problem` reads it: format auto | text ('i j J' / 'i i "
          "h' lines) | "
          "json | rudy (Max-Cut; see pbit.read_maxcut)")
      .def(
          "write",
          [](const Problem& p, const std::string& path) {
            const std::string text =
                ends_with(path, ".json") ? problem_to_json(p) + "\n" : write_problem_string(p);
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            if (!out || !(out << text) || !out.flush())
              throw Error("cannot write problem file '" + path + "'");
          },
          py::arg("path"),
          "write as text (or JSON for a .json path), readable by Problem.read and the CLI")
      .def("to_json", &problem_to_json)
      .def(
          "dequantized",
          [](const Problem& p, const py::object& spec, double beta) {
            const NumericSpec s = spec_or_default(spec);
            py::gil_scoped_release release;
            return dequantized_problem(compile(p, s, beta), p);
          },
          py::arg("spec") = py::none(), py::arg("beta") = 1.0,
          "the weights the hardware holds (quantized per spec), as a float problem")
      .def("__eq__",
           [](const Problem& a, const Problem& b) {
             return a.graph->labels() == b.graph->labels() &&
                    a.graph->edges() == b.graph->edges() && a.h == b.h && a.J == b.J;
           })
      .def("__repr__",
           [](const Problem& p) {
             return "pbit.Problem(graph='" + p.graph->spec() +
                    "', nodes=" + std::to_string(p.num_nodes()) +
                    ", edges=" + std::to_string(p.num_edges()) + ")";
           })
      .def(py::pickle(
          [](const Problem& p) {
            return py::make_tuple(mutable_graph(p.graph), to_array(p.h), to_array(p.J));
          },
          [](const py::tuple& t) {
            if (t.size() != 3) throw Error("bad pickled Problem");
            return make_problem(t[0], t[1], t[2]);
          }));
  c.attr("__hash__") = py::none();
}

}  // namespace

void bind_problem(py::module_& m) {
  bind_spec(m);
  bind_problem_class(m);
}

}  // namespace pbit::python
