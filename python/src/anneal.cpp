// pbit.anneal (annealing on any backend), planted problems, Max-Cut files.
#include "common.hpp"

#include <pbit/anneal/anneal.hpp>
#include <pbit/anneal/planted.hpp>
#include <pbit/problem_rudy.hpp>

#include <charconv>
#include <cmath>

namespace pbit::python {
namespace {

// A schedule as the CLI's --betas text, or the betas themselves.
anneal::BetaSchedule schedule_of(const py::object& s) {
  if (py::isinstance<py::str>(s)) return anneal::BetaSchedule::parse(s.cast<std::string>());
  const auto betas = as_finite_vector(s, "schedule");
  if (betas.empty()) throw Error("schedule: no betas");
  // Through the parser, for its checks: shortest round-trip text of each beta.
  std::string text = "list:";
  for (std::size_t k = 0; k < betas.size(); ++k) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, betas[k]);
    if (k) text += ',';
    text.append(buf, r.ptr);
  }
  return anneal::BetaSchedule::parse(text);
}

struct AnnealOut {
  anneal::Result r;
  std::optional<double> target;
  std::shared_ptr<const graphs::Graph> graph;
};

AnnealOut run_anneal(const Problem& problem, const std::string& backend, const py::object& schedule,
                     std::int64_t sweeps_per_beta, int chains, std::int64_t seed, int threads,
                     const py::object& target, int trace_points, const py::object& spec,
                     const py::kwargs& options) {
  if (backend == "exact")
    throw Error("anneal: the exact backend does not sample chains; use ref, float, rtl or board");
  if (sweeps_per_beta < 1) throw Error("sweeps_per_beta must be >= 1");
  if (chains < 1 || chains > (1 << 20)) throw Error("chains must be in [1, 1048576]");
  if (threads < 0 || threads > 1024) throw Error("threads must be in [0, 1024]");
  if (seed < 0) throw Error("seed must be >= 0");
  if (trace_points < 0 || trace_points > 10000) throw Error("trace_points must be in [0, 10000]");
  anneal::Config cfg;
  cfg.schedule = schedule_of(schedule);
  cfg.sweeps_per_beta = static_cast<std::uint64_t>(sweeps_per_beta);
  cfg.chains = chains;
  cfg.seed = static_cast<std::uint64_t>(seed);
  cfg.threads = threads;
  cfg.trace_points = trace_points;
  if (!target.is_none()) {
    cfg.target = cast_arg<double>(target, "target");
    if (!std::isfinite(*cfg.target)) throw Error("the target must be a finite number");
  }
  const NumericSpec s = spec_or_default(spec);
  auto sampler = make_backend_for(backend, options);
  AnnealOut out;
  out.target = cfg.target;
  out.graph = problem.graph;
  py::gil_scoped_release release;
  out.r = anneal::run(*sampler, problem, s, cfg);
  return out;
}

py::object optional(const std::optional<double>& x) {
  return x ? py::object(py::float_(*x)) : py::none();
}

}  // namespace

void bind_anneal(py::module_& m) {
  py::class_<AnnealOut>(m, "AnnealResult",
                        "what pbit.anneal returns (the fields of `pbit anneal --json`)")
      .def_property_readonly("best_energy", [](const AnnealOut& a) { return a.r.best_energy; })
      .def_property_readonly(
          "best_state", [](const AnnealOut& a) { return to_array(a.r.best_state); },
          "int8 -1/+1 [nodes], graph.labels order")
      .def_property_readonly("best_chain", [](const AnnealOut& a) { return a.r.best_chain; })
      .def_property_readonly("best_sweeps", [](const AnnealOut& a) { return a.r.best_sweeps; })
      .def_property_readonly("final_energies",
                             [](const AnnealOut& a) { return to_array(a.r.final_energies); })
      .def_property_readonly(
          "trace",
          [](const AnnealOut& a) {
            std::vector<std::uint64_t> sweeps;
            std::vector<double> beta, mean, min;
            for (const auto& t : a.r.trace) {
              sweeps.push_back(t.sweeps);
              beta.push_back(t.beta);
              mean.push_back(t.mean_energy);
              min.push_back(t.min_energy);
            }
            py::dict d;
            d["sweeps"] = to_array(sweeps);
            d["beta"] = to_array(beta);
            d["mean_energy"] = to_array(mean);
            d["min_energy"] = to_array(min);
            return d;
          },
          "residual energy along the run: {'sweeps', 'beta', 'mean_energy', 'min_energy'} arrays")
      .def_property_readonly(
          "sweeps", [](const AnnealOut& a) { return a.r.sweeps; }, "per chain")
      .def_property_readonly("chains", [](const AnnealOut& a) { return a.r.chains; })
      .def_property_readonly("seconds", [](const AnnealOut& a) { return a.r.seconds; })
      .def_property_readonly("load_seconds", [](const AnnealOut& a) { return a.r.load_seconds; })
      .def_property_readonly("flips_per_ns", [](const AnnealOut& a) { return a.r.flips_per_ns; })
      .def_property_readonly("target", [](const AnnealOut& a) { return optional(a.target); })
      .def_property_readonly("successes",
                             [](const AnnealOut& a) {
                               return a.target ? py::object(py::int_(a.r.successes)) : py::none();
                             })
      .def_property_readonly("success_probability",
                             [](const AnnealOut& a) { return optional(a.r.success_probability); })
      .def_property_readonly("tts99_seconds",
                             [](const AnnealOut& a) { return optional(a.r.tts99_seconds); })
      .def("__repr__", [](const AnnealOut& a) {
        return "pbit.AnnealResult(best_energy=" + std::to_string(a.r.best_energy) +
               ", chains=" + std::to_string(a.r.chains) + ", sweeps=" + std::to_string(a.r.sweeps) +
               ")";
      });

  m.def("anneal", &run_anneal, py::arg("problem"), py::arg("backend") = "ref", py::kw_only(),
        py::arg("schedule") = "linear:0.1,3,1000", py::arg("sweeps_per_beta") = 1,
        py::arg("chains") = 32, py::arg("seed") = 1, py::arg("threads") = 1,
        py::arg("target") = py::none(), py::arg("trace_points") = 50, py::arg("spec") = py::none(),
        R"(Anneal beta along `schedule` (the CLI's --betas text, e.g. "geometric:0.1,5,500",
or a sequence of betas), `sweeps_per_beta` sweeps at each, on `chains`
independent restarts: the bits and the defaults of `pbit anneal`. With a
target energy: successes, success_probability and tts99_seconds. Backend
options as for Sampler (not exact). Returns an AnnealResult.)");

  py::class_<anneal::Planted>(m, "Planted", "frustrated loops with a known ground state")
      .def_readonly("problem", &anneal::Planted::problem)
      .def_property_readonly("ground_state",
                             [](const anneal::Planted& p) { return to_array(p.ground_state); })
      .def_readonly("ground_energy", &anneal::Planted::ground_energy)
      .def_readonly("loops", &anneal::Planted::loops);
  m.def(
      "planted_problem",
      [](const py::object& graph, double alpha, int max_coupling, std::uint64_t seed) {
        const GraphPtr g = py::module_::import("pbit").attr("graph")(graph).cast<GraphPtr>();
        py::gil_scoped_release release;
        return anneal::planted_problem(g, alpha, max_coupling, seed);
      },
      py::arg("graph"), py::arg("alpha"), py::arg("max_coupling") = 3, py::arg("seed") = 1,
      "frustrated loops planted on a graph (Hen et al. 2015), as `pbit anneal --planted ALPHA,R "
      "--problem-seed S`");

  py::class_<MaxCut>(m, "MaxCut", "a Max-Cut instance as an Ising problem (J = -w, h = 0)")
      .def_readonly("problem", &MaxCut::ising)
      .def_readonly("total_weight", &MaxCut::total_weight)
      .def("cut", &MaxCut::cut, py::arg("energy"), "the cut of a state of this energy: (W - E) / 2")
      .def("energy_of_cut", &MaxCut::energy_of_cut, py::arg("cut"));
  m.def(
      "read_maxcut",
      [](const std::string& path) {
        py::gil_scoped_release release;
        return read_rudy(path);
      },
      py::arg("path"), "a rudy / G-set Max-Cut file (first line 'n m', then 'i j w', 1-based)");
}

}  // namespace pbit::python
