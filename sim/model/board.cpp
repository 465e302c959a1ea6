// The SystemC top of one simulated p-bit board, compiled (per graph) into a
// model library together with the verilated pbit_top:
//
//   Host (TLM initiator) --TLM-2.0--> Board.socket (target) --bus--> pbit_top
//
// The board drives the RTL's register bus cycle by cycle from b_transport,
// makes the clocks (system clock; per-colour phase clocks or per-cell
// free-running clocks for the what-if modes) and optionally traces to VCD.
// The outside world (the rtl Sampler) calls the Model interface; each call
// runs the simulation until the Host thread has finished the request.
#include <pbit/sim/model.hpp>

#include "Vpbit_top.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <verilated.h>
#if VM_TRACE
#include <verilated_vcd_sc.h>
#endif

#include <cmath>
#include <functional>
#include <memory>
#include <queue>
#include <random>
#include <stdexcept>

#ifndef PBIT_NUM_CELLS
#error "PBIT_NUM_CELLS must be defined by the model build"
#endif
#ifndef PBIT_ADDR_BITS
#error "PBIT_ADDR_BITS must be defined by the model build"
#endif

namespace pbit::sim {
namespace {

using namespace sc_core;
constexpr int kCells = PBIT_NUM_CELLS;
using CellBits = sc_dt::sc_bv<kCells>;

SC_MODULE(Board) {
  tlm_utils::simple_target_socket<Board> socket;
  sc_clock clk;
  sc_signal<bool> rst_n{"rst_n"}, req{"req"}, we{"we"}, rvalid{"rvalid"}, busy{"busy"};
  sc_signal<sc_dt::sc_bv<PBIT_ADDR_BITS>> addr{"addr"};
  sc_signal<sc_dt::sc_bv<32>> wdata{"wdata"}, rdata{"rdata"};
  sc_signal<CellBits> cell_clk{"cell_clk"}, state{"state"};
  Vpbit_top dut;
  ModelOptions opt;
  std::uint64_t cycle_count = 0;

  SC_HAS_PROCESS(Board);
  Board(sc_module_name name, const ModelOptions& o)
      : sc_module(name),
        socket("socket"),
        clk("clk", sc_time(o.clock_ns, SC_NS)),
        dut("dut"),
        opt(o) {
    socket.register_b_transport(this, &Board::b_transport);
    dut.clk_i(clk);
    dut.rst_ni(rst_n);
    dut.cell_clk_i(cell_clk);
    dut.req_i(req);
    dut.we_i(we);
    dut.addr_i(addr);
    dut.wdata_i(wdata);
    dut.rvalid_o(rvalid);
    dut.rdata_o(rdata);
    dut.busy_o(busy);
    dut.state_o(state);
    SC_THREAD(reset_and_count);
    if (opt.clocking != Clocking::Enables) SC_THREAD(cell_clocks);
  }

  // Reset for two cycles, then count system clock cycles.
  void reset_and_count() {
    rst_n.write(false);
    wait(clk.posedge_event());
    wait(clk.posedge_event());
    rst_n.write(true);
    for (;;) {
      wait(clk.posedge_event());
      ++cycle_count;
    }
  }

  // Bus words, one per clock (pbit_top's pipelined bus): each request is
  // driven at a falling edge and registered by the RTL at the next rising
  // edge; a write takes effect one rising edge later (b_transport returns after
  // it, so a write is complete when the call returns); a read's data comes
  // with rvalid two cycles after its request and is sampled at a falling edge,
  // while later requests are driven.
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    wait(delay);
    delay = SC_ZERO_TIME;
    const auto len = t.get_data_length();
    if (t.get_address() % 4 != 0 || len % 4 != 0 || len == 0 || t.get_byte_enable_ptr() != nullptr) {
      t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      return;
    }
    const std::uint64_t first = t.get_address() / 4, words = len / 4;
    if (first + words > (std::uint64_t{1} << PBIT_ADDR_BITS)) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    auto* data = reinterpret_cast<std::uint32_t*>(t.get_data_ptr());
    const bool write = t.is_write();
    std::uint64_t got = 0;  // read words answered
    const auto sample = [&] {
      if (write || !rvalid.read()) return;
      if (got == words) throw std::runtime_error("pbit_top answered more reads than were requested");
      data[got++] = static_cast<std::uint32_t>(rdata.read().to_uint());
    };
    for (std::uint64_t w = 0; w < words; ++w) {
      wait(clk.negedge_event());
      sample();
      req.write(true);
      we.write(write);
      addr.write(static_cast<std::uint32_t>(first + w));
      wdata.write(write ? data[w] : 0u);
      wait(clk.posedge_event());
    }
    req.write(false);
    we.write(false);
    if (write) wait(clk.posedge_event());  // the last write takes effect
    for (int idle = 0; !write && got < words; ++idle) {
      if (idle == 4) throw std::runtime_error("pbit_top did not answer a read with rvalid");
      wait(clk.negedge_event());
      sample();
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  // What-if clocks: per-colour phase clocks, or one free-running clock per cell.
  void cell_clocks() {
    struct Edge {
      double t;
      int clock;
      bool rise;
      bool operator>(const Edge& o) const { return t > o.t; }
    };
    const double T = opt.clock_ns, sweep = opt.cycles_per_sweep * T;
    const bool phase = opt.clocking == Clocking::PhaseClocks;
    int clocks = kCells;
    if (phase) {
      clocks = 1;
      for (int c : opt.cell_color) clocks = std::max(clocks, c + 1);
    }
    std::mt19937_64 rng(opt.clock_seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> period(static_cast<std::size_t>(clocks), sweep);
    std::priority_queue<Edge, std::vector<Edge>, std::greater<Edge>> q;
    for (int c = 0; c < clocks; ++c) {
      // Phase clocks: colour c rises mid-way through system cycle c of a sweep.
      // Cell clocks: own period, random initial phase.
      if (!phase) period[c] = sweep * (1.0 + opt.ratio_spread * u(rng));
      const double first = phase ? (c + 0.5) * T : (0.5 + 0.5 * (1 + u(rng))) * period[c];
      q.push({first, c, true});
    }
    CellBits bits;
    for (;;) {
      const Edge e = q.top();
      q.pop();
      const double now = sc_time_stamp().to_seconds() * 1e9;
      if (e.t > now) wait(sc_time(e.t - now, SC_NS));
      const double p = period[static_cast<std::size_t>(e.clock)];
      if (phase) {
        for (int i = 0; i < kCells; ++i)
          if (opt.cell_color[static_cast<std::size_t>(i)] == e.clock) bits[i] = e.rise;
      } else {
        bits[e.clock] = e.rise;
      }
      cell_clk.write(bits);
      const double jitter = phase ? 0.0 : opt.jitter * p * u(rng);
      if (e.rise)
        q.push({e.t + p / 2, e.clock, false});
      else
        q.push({e.t + p / 2 + jitter, e.clock, true});
    }
  }
};

SC_MODULE(Host) {
  tlm_utils::simple_initiator_socket<Host> socket;
  sc_event job_ready;
  std::function<void()> job;
  bool pending = false;  // set before the event: the first job may predate this thread's first wait
  bool done = true;
  std::string error;

  SC_HAS_PROCESS(Host);
  explicit Host(sc_module_name name) : sc_module(name), socket("socket") { SC_THREAD(serve); }

  void serve() {
    for (;;) {
      while (!pending) wait(job_ready);
      pending = false;
      try {
        job();
      } catch (const std::exception& e) {
        error = e.what();
      }
      done = true;
      sc_pause();
    }
  }

  void transport(bool write, std::uint32_t word_addr, std::uint32_t* data, std::size_t words) {
    tlm::tlm_generic_payload t;
    sc_time delay = SC_ZERO_TIME;
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(std::uint64_t{word_addr} * 4);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(data));
    t.set_data_length(static_cast<unsigned>(words * 4));
    t.set_streaming_width(static_cast<unsigned>(words * 4));
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(t, delay);
    if (!t.is_response_ok()) throw std::runtime_error("TLM transaction failed: " + t.get_response_string());
  }
};

class ScModel final : public Model {
 public:
  explicit ScModel(const ModelOptions& o) : board_("board", o), host_("host") {
    host_.socket.bind(board_.socket);
    if (!o.trace_file.empty()) {
#if VM_TRACE
      Verilated::traceEverOn(true);
      sc_start(SC_ZERO_TIME);  // elaborate before attaching the trace
      trace_ = std::make_unique<VerilatedVcdSc>();
      board_.dut.trace(trace_.get(), 99);
      trace_->open(o.trace_file.c_str());
#else
      throw std::runtime_error("this model was built without tracing (BuildOptions::trace)");
#endif
    }
    // Out of reset.
    call([this] {
      while (!board_.rst_n.read()) wait(board_.clk.posedge_event());
    });
  }
  ~ScModel() override {
#if VM_TRACE
    if (trace_) trace_->close();
#endif
  }

  void write(std::uint32_t addr, std::uint32_t data) override {
    call([&] { host_.transport(true, addr, &data, 1); });
  }
  std::uint32_t read(std::uint32_t addr) override {
    std::uint32_t v = 0;
    call([&] { host_.transport(false, addr, &v, 1); });
    return v;
  }
  void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& data) override {
    if (data.empty()) return;
    std::vector<std::uint32_t> copy = data;
    call([&] { host_.transport(true, addr, copy.data(), copy.size()); });
  }
  std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words) override {
    std::vector<std::uint32_t> v(words, 0);
    if (words) call([&] { host_.transport(false, addr, v.data(), v.size()); });
    return v;
  }
  std::uint64_t wait_idle() override {
    const std::uint64_t start = board_.cycle_count;
    call([this] {
      wait(board_.clk.negedge_event());
      while (board_.busy.read()) wait(board_.clk.negedge_event());
    });
    return board_.cycle_count - start;
  }
  void peek_states(std::vector<std::uint8_t>& s) override {
    const CellBits b = board_.state.read();
    s.resize(kCells);
    for (int i = 0; i < kCells; ++i) s[static_cast<std::size_t>(i)] = b[i].to_bool() ? 1 : 0;
  }
  std::uint64_t cycles() const override { return board_.cycle_count; }
  double sim_time_ns() const override { return sc_time_stamp().to_seconds() * 1e9; }
  int num_cells() const override { return kCells; }
  void flush_trace() override {
#if VM_TRACE
    if (trace_) trace_->flush();
#endif
  }

 private:
  // Run the simulation until the Host thread has executed f.
  void call(std::function<void()> f) {
    host_.job = std::move(f);
    host_.done = false;
    host_.error.clear();
    host_.pending = true;
    host_.job_ready.notify(SC_ZERO_TIME);
    while (!host_.done) sc_start();
    if (!host_.error.empty()) throw std::runtime_error(host_.error);
  }

  Board board_;
  Host host_;
#if VM_TRACE
  std::unique_ptr<VerilatedVcdSc> trace_;
#endif
};

bool g_created = false;  // SystemC elaborates once per process

}  // namespace
}  // namespace pbit::sim

extern "C" int pbit_sim_abi_version() { return pbit::sim::kModelAbiVersion; }

extern "C" pbit::sim::Model* pbit_sim_create_model(const pbit::sim::ModelOptions* options,
                                                    std::string* error) {
  try {
    if (pbit::sim::g_created)
      throw std::runtime_error("one simulated board per process (SystemC elaborates once)");
    if (options->clocking == pbit::sim::Clocking::PhaseClocks &&
        options->cell_color.size() != static_cast<std::size_t>(pbit::sim::kCells))
      throw std::runtime_error("phase clocks need a colour per cell");
    pbit::sim::g_created = true;
    return new pbit::sim::ScModel(*options);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

// The model library runs under the host program's main(); SystemC's own
// main() (which calls sc_main) is never used.
int sc_main(int, char**) { return 0; }
