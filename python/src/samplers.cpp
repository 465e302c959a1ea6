// pbit.Sampler (every backend by name), pbit.sample(...) and the backend list.
#include "common.hpp"

#include <pbit/board/board_sampler.hpp>
#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <set>

namespace pbit::python {
namespace {

// ---------------------------------------------------------------- backends

template <class T>
T option(py::kwargs& kw, const char* name, T fallback) {
  if (!kw.contains(name)) return fallback;
  const py::object v = kw[name];
  PyDict_DelItemString(kw.ptr(), name);
  return cast_arg<T>(v, name);
}

void reject_leftovers(const std::string& backend, const py::kwargs& kw) {
  for (const auto& item : kw)
    throw py::type_error("backend '" + backend + "' has no option '" +
                         item.first.cast<std::string>() + "'");
}

// The backend `name` with its options (keyword arguments), as the CLI's
// --backend and its knobs; anything else goes through the registry.
std::unique_ptr<Sampler> make_backend(const std::string& name, py::kwargs kw) {
  kw = py::kwargs(py::dict(kw));  // a copy we can consume
  std::unique_ptr<Sampler> s;
  if (name == "ref") {
    const auto simd = option<std::string>(kw, "simd", "auto");
    const auto layout = option<std::string>(kw, "ref_layout", "auto");
    reject_leftovers(name, kw);
    return make_ref_sampler(parse_simd_path(simd), parse_ref_layout(layout));
  }
  if (name == "exact") {
    // The CLI's default: the hardware's (quantized) weights.
    const auto arithmetic = option<std::string>(kw, "arithmetic", "quantized");
    reject_leftovers(name, kw);
    if (arithmetic != "quantized" && arithmetic != "float")
      throw Error("exact: arithmetic must be 'quantized' or 'float' (got '" + arithmetic + "')");
    return make_exact_sampler(arithmetic == "float" ? Arithmetic::Float : Arithmetic::Quantized);
  }
  if (name == "rtl") {
    sim::RtlOptions o;
    const auto clocking = option<std::string>(kw, "clocking", "enables");
    o.model.clock_ns = option(kw, "clock_ns", o.model.clock_ns);
    o.model.ratio_spread = option(kw, "ratio_spread", o.model.ratio_spread);
    o.model.jitter = option(kw, "jitter", o.model.jitter);
    o.model.clock_seed = option(kw, "clock_seed", o.model.clock_seed);
    o.model.trace_file = option(kw, "trace", o.model.trace_file);
    o.build.verilator_threads = option(kw, "verilator_threads", o.build.verilator_threads);
    o.bus_state_readout = option(kw, "bus_state_readout", o.bus_state_readout);
    reject_leftovers(name, kw);
    if (clocking == "enables")
      o.model.clocking = sim::Clocking::Enables;
    else if (clocking == "phase")
      o.model.clocking = sim::Clocking::PhaseClocks;
    else if (clocking == "cells")
      o.model.clocking = sim::Clocking::CellClocks;
    else
      throw Error("rtl: clocking must be 'enables', 'phase' or 'cells' (got '" + clocking + "')");
    if (!(o.model.clock_ns > 0) || !std::isfinite(o.model.clock_ns))
      throw Error("rtl: clock_ns must be > 0");
    if (!(o.model.ratio_spread >= 0 && o.model.ratio_spread < 1))
      throw Error("rtl: ratio_spread must be in [0, 1)");
    if (!(o.model.jitter >= 0 && o.model.jitter < 0.5))
      throw Error("rtl: jitter must be in [0, 0.5)");
    if (o.build.verilator_threads < 1 || o.build.verilator_threads > 64)
      throw Error("rtl: verilator_threads must be in [1, 64]");
    return sim::make_rtl_sampler(o);
  }
  if (name == "board") {
    board::BoardOptions o;
    o.port = option(kw, "port", o.port);
    o.baud = option(kw, "baud", o.baud);
    o.link.timeout_ms = option(kw, "link_timeout_ms", o.link.timeout_ms);
    o.link.retries = option(kw, "link_retries", o.link.retries);
    reject_leftovers(name, kw);
    if (o.port.empty())
      throw Error("board: give port='/dev/ttyUSB1' (or the /dev/pts/N of `pbit fpga sim`)");
    if (o.baud <= 0) throw Error("board: baud must be > 0");
    if (o.link.timeout_ms < 1) throw Error("board: link_timeout_ms must be >= 1");
    if (o.link.retries < 0 || o.link.retries > 100)
      throw Error("board: link_retries must be in [0, 100]");
    return board::make_board_sampler(o);
  }
  reject_leftovers(name, kw);
  return make_sampler(name);
}

std::vector<std::string> backend_names() {
  auto names = sampler_names();
  names.push_back("board");  // needs a port, so it is made here rather than by the registry
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// ---------------------------------------------------------------- Sampler

// Software backends run long calls in pieces of about this many p-bit
// updates, checking for Ctrl-C between pieces (run(a) then run(b) gives the
// bits of run(a + b)). Hardware backends run in one piece: every call costs
// bus traffic.
constexpr double kPieceUpdates = 1 << 27;

std::int64_t non_negative(std::int64_t v, const char* what) {
  if (v < 0) throw Error(std::string(what) + " must be >= 0 (got " + std::to_string(v) + ")");
  return v;
}

class PySampler {
 public:
  PySampler(const std::string& backend, const py::kwargs& options)
      : backend_(backend), sampler_(make_backend(backend, options)) {}

  Sampler& get() {
    if (!sampler_) throw Error("the sampler is closed");
    return *sampler_;
  }
  const Problem& problem() const {
    if (!problem_) throw Error("no problem loaded (call load() first)");
    return *problem_;
  }
  std::size_t nodes() const { return problem_ ? problem_->num_nodes() : 0; }

  // Calls f(sampler) with the GIL released and the sampler locked.
  template <class F>
  auto call(F&& f) {
    Sampler& s = get();
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mutex_);
    return f(s);
  }

  void load(const Problem& p, const NumericSpec& spec, double beta) {
    if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
    call([&](Sampler& s) { s.load(p, spec, beta); });
    problem_ = p;
    spec_ = spec;
    beta_ = beta;
  }

  void configure(int chains, std::int64_t seed, int threads) {
    if (chains < 1 || chains > (1 << 20)) throw Error("chains must be in [1, 1048576]");
    if (threads < 0 || threads > 1024) throw Error("threads must be in [0, 1024]");
    non_negative(seed, "seed");
    call([&](Sampler& s) { s.configure({chains, static_cast<std::uint64_t>(seed), threads}); });
  }

  void run(std::int64_t sweeps, bool accumulate) {
    non_negative(sweeps, "sweeps");
    Sampler& s = get();
    const bool pieces = backend_ == "ref" || backend_ == "float";
    const double per_sweep = static_cast<double>(std::max(1, s.chains())) *
                             static_cast<double>(std::max<std::size_t>(1, nodes()));
    const std::uint64_t piece =
        pieces ? std::max<std::uint64_t>(1, static_cast<std::uint64_t>(kPieceUpdates / per_sweep))
               : static_cast<std::uint64_t>(sweeps);
    std::uint64_t done = 0;
    const auto total = static_cast<std::uint64_t>(sweeps);
    while (done < total) {
      const std::uint64_t n = std::min(piece, total - done);
      call([&](Sampler& x) { x.run(n, accumulate); });
      done += n;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }

  py::array_t<std::int8_t> states() {
    const std::size_t n = nodes();
    std::vector<std::vector<std::int8_t>> rows;
    call([&](Sampler& s) { s.states(0, s.chains(), rows); });
    py::array_t<std::int8_t> a(
        {static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(n)});
    auto* p = a.mutable_data();
    for (const auto& r : rows) p = std::copy(r.begin(), r.end(), p);
    return a;
  }

  void set_states(const py::object& m, int first) {
    problem();
    const auto rows = as_states(m, nodes(), "states");
    if (first < 0 ||
        static_cast<std::size_t>(first) + rows.size() > static_cast<std::size_t>(get().chains()))
      throw Error("states: chains [" + std::to_string(first) + ", " +
                  std::to_string(first + static_cast<int>(rows.size())) + ") out of range [0, " +
                  std::to_string(get().chains()) + ")");
    call([&](Sampler& s) { s.set_states(first, rows); });
  }

  void clamp(const py::object& mask, const py::object& values) {
    problem();
    const std::size_t n = nodes();
    const auto mv = as_int64_vector(mask, "mask");
    if (mv.size() != n)
      throw Error("mask: " + std::to_string(mv.size()) + " entries, the graph has " +
                  std::to_string(n) + " nodes");
    std::vector<std::uint8_t> m8(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (mv[i] != 0 && mv[i] != 1) throw Error("mask: entries are 0/1 or booleans");
      m8[i] = static_cast<std::uint8_t>(mv[i]);
    }
    bool one = false;
    const auto rows = as_states(values, n, "values", &one);
    const int chains = get().chains();
    if (!one && static_cast<int>(rows.size()) != chains)
      throw Error("values: " + std::to_string(rows.size()) + " rows, the sampler has " +
                  std::to_string(chains) + " chains (give one row for all)");
    call([&](Sampler& s) {
      s.set_clamp_mask(m8);
      for (int c = 0; c < chains; ++c)
        s.set_clamp_values(c, rows[one ? 0 : static_cast<std::size_t>(c)]);
    });
  }

  void close() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mutex_);
    sampler_.reset();
  }

  const std::string& backend() const { return backend_; }
  const NumericSpec& spec() const { return spec_; }
  double beta() const { return beta_; }
  void set_beta_value(double b) { beta_ = b; }

 private:
  std::string backend_;
  std::unique_ptr<Sampler> sampler_;
  std::mutex mutex_;  // one C++ call at a time: the GIL is released inside
  std::optional<Problem> problem_;
  NumericSpec spec_;
  double beta_ = 1.0;
};

// ---------------------------------------------------------------- sample()

struct SampleResult {
  py::array_t<std::int8_t> states;
  py::array_t<double> means, correlations, energies;
  double energy_mean = 0;
  std::uint64_t samples = 0;
  std::string backend;
  double seconds = 0;
  py::array labels, edges;
};

SampleResult sample(const Problem& problem, const std::string& backend, double beta,
                    std::int64_t sweeps, std::int64_t burn_in, int chains, std::int64_t seed,
                    int threads, const py::object& spec, const py::kwargs& options) {
  non_negative(sweeps, "sweeps");
  non_negative(burn_in, "burn_in");
  PySampler s(backend, options);
  s.load(problem, spec_or_default(spec), beta);
  s.configure(chains, seed, threads);
  const auto t0 = std::chrono::steady_clock::now();
  s.run(burn_in, false);
  s.run(sweeps, true);
  SampleResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Stats st = s.call([](Sampler& x) { return x.stats(); });
  r.states = s.states();
  std::vector<double> e(static_cast<std::size_t>(chains));
  {
    const auto* p = r.states.data();
    const std::size_t n = problem.num_nodes();
    py::gil_scoped_release release;
    std::vector<std::int8_t> m(n);
    for (std::size_t c = 0; c < e.size(); ++c) {
      std::copy(p + c * n, p + (c + 1) * n, m.begin());
      e[c] = problem.energy(m);
    }
  }
  r.energies = to_array(e);
  r.means = to_array(st.mean);
  r.correlations = to_array(st.corr);
  r.energy_mean = st.energy_mean;
  r.samples = st.samples;
  r.backend = s.get().name();
  const auto g = py::cast(mutable_graph(problem.graph));
  r.labels = g.attr("labels");
  r.edges = g.attr("edges");
  s.close();
  return r;
}

}  // namespace

std::unique_ptr<Sampler> make_backend_for(const std::string& name, const py::kwargs& options) {
  return make_backend(name, options);
}

void bind_samplers(py::module_& m) {
  m.def("backends", &backend_names,
        "names of the sampler backends: ref, float, exact, rtl (the Verilator + SystemC model, "
        "built on first use; "
        "needs verilator and SystemC), board (a p-bit board on a serial port: port=...)");
  m.def(
      "simd_paths",
      [] {
        std::vector<std::string> out;
        for (auto p : available_simd_paths()) out.push_back(to_string(p));
        return out;
      },
      "the ref kernels this CPU runs (best last)");

  py::class_<Stats>(m, "Stats", "moments accumulated over every (sweep, chain) sample")
      .def_readonly("samples", &Stats::samples)
      .def_property_readonly("means", [](const Stats& s) { return to_array(s.mean); })
      .def_property_readonly("correlations", [](const Stats& s) { return to_array(s.corr); })
      .def_readonly("energy_mean", &Stats::energy_mean)
      .def("__repr__", [](const Stats& s) {
        return "pbit.Stats(samples=" + std::to_string(s.samples) +
               ", energy_mean=" + std::to_string(s.energy_mean) + ")";
      });

  py::class_<PySampler>(m, "Sampler", R"(One sampler backend (the library's Sampler interface).

Sampler(backend="ref", **options): options by backend: ref: simd ('auto',
'scalar', 'avx2', 'avx512'), ref_layout ('auto', 'planes', 'chains'); exact: arithmetic ('quantized', the default, or
'float'); rtl: clocking ('enables' | 'phase' | 'cells'), clock_ns,
ratio_spread, jitter, clock_seed, trace (VCD path), verilator_threads,
bus_state_readout; board: port (required), baud, link_timeout_ms,
link_retries. States are int8 -1/+1, one row per chain, columns in
graph.labels order. Long calls release the GIL; Ctrl-C stops run() between
pieces of the software backends. close() (or a with block) releases the
backend (the rtl model of a process serves one sampler at a time).)")
      .def(py::init<const std::string&, const py::kwargs&>(), py::arg("backend") = "ref")
      .def_property_readonly("name", [](PySampler& s) { return s.get().name(); })
      .def_property_readonly("backend", &PySampler::backend)
      .def(
          "load",
          [](PySampler& s, const Problem& p, double beta, const py::object& spec) {
            s.load(p, spec_or_default(spec), beta);
          },
          py::arg("problem"), py::arg("beta") = 1.0, py::arg("spec") = py::none(),
          "load a problem (quantized per spec by the hardware backends); resets chains to -1, "
          "clamps, stats")
      .def("configure", &PySampler::configure, py::arg("chains") = 1, py::arg("seed") = 1,
           py::arg("threads") = 0,
           "chains and master seed; reseeds every RNG, resets states to -1 and stats")
      .def(
          "set_beta",
          [](PySampler& s, double beta) {
            if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
            s.call([&](Sampler& x) { x.set_beta(beta); });
            s.set_beta_value(beta);
          },
          py::arg("beta"), "change beta only; states kept")
      .def(
          "update_weights",
          [](PySampler& s, const Problem& p) { s.call([&](Sampler& x) { x.update_weights(p); }); },
          py::arg("problem"), "new J and h on the same graph; chains, RNGs, clamps and stats kept")
      .def("run", &PySampler::run, py::arg("sweeps"), py::arg("accumulate") = true,
           "run sweeps on every chain; with accumulate, add every sweep's states to the statistics")
      .def_property_readonly("states", &PySampler::states, "int8 [chains, nodes]")
      .def("set_states", &PySampler::set_states, py::arg("states"), py::arg("first") = 0,
           "set chains first, first+1, ... from the rows of a -1/+1 array")
      .def("clamp", &PySampler::clamp, py::arg("mask"), py::arg("values"),
           "clamp the nodes of mask (0/1 [nodes]) to values: [nodes] for every chain or [chains, "
           "nodes]")
      .def("clear_clamps", [](PySampler& s) { s.call([](Sampler& x) { x.clear_clamps(); }); })
      .def("stats", [](PySampler& s) { return s.call([](Sampler& x) { return x.stats(); }); })
      .def("reset_stats", [](PySampler& s) { s.call([](Sampler& x) { x.reset_stats(); }); })
      .def_property_readonly("chains", [](PySampler& s) { return s.get().chains(); })
      .def_property_readonly("sweeps_done", [](PySampler& s) { return s.get().sweeps_done(); })
      .def_property_readonly("problem", &PySampler::problem)
      .def_property_readonly("spec", &PySampler::spec)
      .def_property_readonly("beta", &PySampler::beta)
      .def("close", &PySampler::close)
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PySampler& s, const py::args&) { s.close(); });

  py::class_<SampleResult>(m, "SampleResult", "what pbit.sample returns")
      .def_readonly("states", &SampleResult::states,
                    "final state of every chain, int8 [chains, nodes]")
      .def_readonly("means", &SampleResult::means,
                    "<m_i> over every accumulated (sweep, chain), [nodes]")
      .def_readonly("correlations", &SampleResult::correlations,
                    "<m_u m_v> per edge (graph.edges order)")
      .def_readonly("energies", &SampleResult::energies,
                    "energy of every chain's final state, [chains]")
      .def_readonly("energy_mean", &SampleResult::energy_mean, "<E> from the moments")
      .def_readonly("samples", &SampleResult::samples, "sweeps * chains accumulated")
      .def_readonly("backend", &SampleResult::backend)
      .def_readonly("seconds", &SampleResult::seconds)
      .def_readonly("labels", &SampleResult::labels, "node label of every column")
      .def_readonly("edges", &SampleResult::edges, "label pairs of the correlations")
      .def("__repr__", [](const SampleResult& r) {
        return "pbit.SampleResult(backend='" + r.backend +
               "', chains=" + std::to_string(r.states.shape(0)) +
               ", nodes=" + std::to_string(r.states.shape(1)) +
               ", samples=" + std::to_string(r.samples) +
               ", energy_mean=" + std::to_string(r.energy_mean) + ")";
      });

  m.def("sample", &sample, py::arg("problem"), py::arg("backend") = "ref", py::kw_only(),
        py::arg("beta") = 1.0, py::arg("sweeps") = 1000, py::arg("burn_in") = 100,
        py::arg("chains") = 32, py::arg("seed") = 1, py::arg("threads") = 0,
        py::arg("spec") = py::none(),
        R"(Sample a problem: `burn_in` sweeps discarded, then `sweeps` accumulated, on
`chains` chains seeded from `seed`; the defaults and the bits are those of
`pbit sample`. Backend options as for Sampler. Returns a SampleResult.)");
}

}  // namespace pbit::python
