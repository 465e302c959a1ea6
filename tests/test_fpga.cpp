// The board link and the FPGA flow's host side: frame protocol (CRC, frames,
// parser), the link's timeouts/retries/errors against a scripted fake board,
// the generated RTL package, the iCE40 PLL settings, the fpga/README.md
// protocol tables, `pbit fpga` / `--backend board` command-line errors, and the
// FPGA flow library's parsers (yosys stat and log, nextpnr report, board
// files) and cost model.
#include <pbit/board/board_emit.hpp>
#include <pbit/board/board_sampler.hpp>
#include <pbit/board/link.hpp>
#include <pbit/board/protocol.hpp>
#include <pbit/error.hpp>
#include <pbit/fpga/board_file.hpp>
#include <pbit/fpga/cost_model.hpp>
#include <pbit/fpga/logic_depth.hpp>
#include <pbit/fpga/nextpnr.hpp>
#include <pbit/fpga/program.hpp>
#include <pbit/fpga/xilinx.hpp>
#include <pbit/fpga/yosys_stat.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/regmap.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace pbit;
using namespace pbit::board;

namespace {

std::vector<std::uint8_t> response(std::uint8_t status, std::uint8_t seq, const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> f;
  f.reserve(payload.size() + kHeaderBytes + kTrailerBytes);
  for (std::uint8_t b : {kResponseSync, status, seq, static_cast<std::uint8_t>(payload.size()),
                         static_cast<std::uint8_t>(payload.size() >> 8)})
    f.push_back(b);
  for (std::uint8_t b : payload) f.push_back(b);
  const std::uint16_t crc = crc16(f.data() + 1, f.size() - 1);
  f.push_back(static_cast<std::uint8_t>(crc >> 8));
  f.push_back(static_cast<std::uint8_t>(crc));
  return f;
}

// A scripted board: each request (a complete frame) is handed to `answer`,
// whose bytes are then readable.
struct FakeBoard final : ByteChannel {
  std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> answer;
  std::vector<std::vector<std::uint8_t>> requests;
  std::deque<std::uint8_t> pending;
  void write(const std::uint8_t* p, std::size_t n) override {
    std::vector<std::uint8_t> f(p, p + n);
    requests.push_back(f);
    for (auto b : answer(f)) pending.push_back(b);
  }
  std::size_t read(std::uint8_t* p, std::size_t n, Clock::time_point) override {
    std::size_t k = 0;
    while (k < n && !pending.empty()) {
      p[k++] = pending.front();
      pending.pop_front();
    }
    return k;
  }
  void discard_input() override { pending.clear(); }
  std::string describe() const override { return "fake board"; }
};

std::vector<std::uint8_t> info_payload() {
  std::vector<std::uint8_t> p;
  const std::uint32_t w[kInfoWords] = {kInfoMagic, kProtocolVersion, 12000000, 104, 256, 7, 8, 0, 1200000};
  for (auto x : w) put_word(p, x);
  return p;
}

struct Run {
  int status;
  std::string out, err;
};
Run run_pbit(const std::string& args) {
  const std::string err_file = std::string(PBIT_BINARY_DIR) + "/test_fpga_stderr_" + std::to_string(getpid()) + ".txt";
  const std::string cmd = std::string(PBIT_BINARY_DIR) + "/pbit " + args + " 2>" + err_file;
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::remove(err_file.c_str());
  return r;
}

}  // namespace

TEST_CASE("CRC-16/CCITT-FALSE check value and frame layout", "[board]") {
  const std::string s = "123456789";
  CHECK(crc16(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()) == 0x29B1);
  std::vector<std::uint8_t> p;
  put_word(p, 0x00100045u);
  const auto f = encode_request(CMD_READ, 7, p);
  REQUIRE(f.size() == kHeaderBytes + 4 + kTrailerBytes);
  CHECK(f[0] == kRequestSync);
  CHECK(f[1] == CMD_READ);
  CHECK(f[2] == 7);
  CHECK(f[3] == 4);
  CHECK(f[4] == 0);
  CHECK(get_word(&f[5]) == 0x00100045u);
  const std::uint16_t crc = crc16(f.data() + 1, f.size() - 3);
  CHECK(f[9] == (crc >> 8));
  CHECK(f[10] == (crc & 0xFF));
}

TEST_CASE("Response parser: skips noise, drops damaged frames, resynchronizes", "[board]") {
  ResponseParser parser;
  Response r;
  std::vector<std::uint8_t> bytes = {0x00, 0x13, 0xFF};  // noise
  auto good = response(ST_OK, 5, {1, 2, 3, 4});
  auto bad = response(ST_OK, 6, {9, 9, 9, 9});
  bad[6] ^= 0x10;  // damage the payload
  bytes.insert(bytes.end(), bad.begin(), bad.end());
  bytes.insert(bytes.end(), good.begin(), good.end());
  int frames = 0;
  for (auto b : bytes)
    if (parser.feed(b, r)) {
      ++frames;
      CHECK(r.seq == 5);
      CHECK(r.payload == std::vector<std::uint8_t>{1, 2, 3, 4});
    }
  CHECK(frames == 1);
  CHECK(parser.crc_errors == 1);
  CHECK(parser.skipped >= 3);
}

TEST_CASE("Link: requests, retries after damage, errors named", "[board]") {
  auto fake = std::make_unique<FakeBoard>();
  FakeBoard* board = fake.get();
  int calls = 0;
  board->answer = [&](const std::vector<std::uint8_t>& f) {
    ++calls;
    const std::uint8_t cmd = f[1], seq = f[2];
    if (cmd == CMD_INFO) return response(ST_OK, seq, info_payload());
    if (cmd == CMD_READ) {
      if (calls == 2) return response(ST_BAD_CRC, seq, {});  // damaged on the way in
      if (calls == 3) {
        auto r = response(ST_OK, seq, {1, 0, 0, 0});
        r[5] ^= 1;  // damaged on the way out
        return r;
      }
      std::vector<std::uint8_t> p;
      put_word(p, 0xCAFEF00D);
      auto late = response(ST_OK, static_cast<std::uint8_t>(seq - 1), {0, 0, 0, 0});  // a stale answer first
      auto ok = response(ST_OK, seq, p);
      late.insert(late.end(), ok.begin(), ok.end());
      return late;
    }
    if (cmd == CMD_WRITE) return response(ST_BAD_ARG, seq, {});
    if (cmd == CMD_RUN) return std::vector<std::uint8_t>{};  // never answers
    return response(ST_BAD_CMD, seq, {});
  };
  LinkOptions lo;
  lo.timeout_ms = 20;
  lo.retries = 2;
  BoardLink link(std::move(fake), 1000000, lo);
  const BoardInfo info = link.info();
  CHECK(info.clock_hz == 12000000);
  CHECK(info.num_cells == 8);
  CHECK(info.stats());
  CHECK(info.lut_writable());
  CHECK(info.async());
  CHECK(link.read(0x42) == 0xCAFEF00Du);  // after BAD_CRC and a damaged answer
  CHECK(link.counters().retries == 2);
  // The same sequence number on every attempt of one request.
  const auto& req = board->requests;
  REQUIRE(req.size() == 4);
  CHECK(req[1] == req[2]);
  CHECK(req[2] == req[3]);
  CHECK_THROWS_WITH(link.write(0x42, 1), Catch::Contains("rejected with status BAD_ARG"));
  CHECK_THROWS_WITH(link.run(10, 2), Catch::Contains("no valid answer to RUN") && Catch::Contains("3 attempts"));
}

TEST_CASE("Link: bursts are split to the board's buffer and read limits", "[board]") {
  auto fake = std::make_unique<FakeBoard>();
  FakeBoard* board = fake.get();
  std::vector<std::uint32_t> mem(4096, 0);
  board->answer = [&](const std::vector<std::uint8_t>& f) {
    const std::uint8_t cmd = f[1], seq = f[2];
    const std::size_t len = f[3] | (f[4] << 8);
    const std::uint8_t* p = &f[5];
    if (cmd == CMD_INFO) {
      auto ip = info_payload();
      std::vector<std::uint8_t> eight;
      put_word(eight, 8);  // an 8-word buffer: 7 data words a write
      std::copy(eight.begin(), eight.end(), ip.begin() + 4 * INFO_BUFFER_WORDS);
      return response(ST_OK, seq, ip);
    }
    if (cmd == CMD_WRITE_BURST || cmd == CMD_WRITE) {
      CHECK(len / 4 - 1 <= 7);
      for (std::size_t i = 1; i < len / 4; ++i) mem[get_word(p) + i - 1] = get_word(p + 4 * i);
      return response(ST_OK, seq, {});
    }
    if (cmd == CMD_READ_BURST) {
      std::vector<std::uint8_t> out;
      for (std::uint32_t i = 0; i < get_word(p + 4); ++i) put_word(out, mem[get_word(p) + i]);
      return response(ST_OK, seq, out);
    }
    return response(ST_BAD_CMD, seq, {});
  };
  BoardLink link(std::move(fake), 1000000, {});
  std::vector<std::uint32_t> words(30);
  for (std::size_t i = 0; i < words.size(); ++i) words[i] = static_cast<std::uint32_t>(i * 1000 + 7);
  link.write_burst(100, words);
  CHECK(board->requests.size() == 1 + 5);  // INFO + ceil(30 / 7)
  CHECK(link.read_burst(100, 30) == words);
}

TEST_CASE("Link: a board buffer larger than a frame still gives frames within LEN", "[board]") {
  // LEN is 16 bits: a burst write carries the address and at most 16382 words,
  // whatever buffer the board reports (found by the board_request fuzzer).
  auto fake = std::make_unique<FakeBoard>();
  FakeBoard* board = fake.get();
  std::size_t written = 0;
  board->answer = [&](const std::vector<std::uint8_t>& f) {
    const std::uint8_t cmd = f[1], seq = f[2];
    const std::size_t len = f[3] | (f[4] << 8);
    if (cmd == CMD_INFO) {
      auto ip = info_payload();
      std::vector<std::uint8_t> big;
      put_word(big, 1u << 20);  // a 1 Mi-word buffer
      std::copy(big.begin(), big.end(), ip.begin() + 4 * INFO_BUFFER_WORDS);
      return response(ST_OK, seq, ip);
    }
    if (cmd == CMD_WRITE_BURST) {
      CHECK(len == f.size() - kHeaderBytes - kTrailerBytes);
      written += len / 4 - 1;
      return response(ST_OK, seq, {});
    }
    return response(ST_BAD_CMD, seq, {});
  };
  BoardLink link(std::move(fake), 1000000, {});
  link.write_burst(0, std::vector<std::uint32_t>(40000, 5));
  CHECK(written == 40000);
  CHECK(board->requests.size() == 1 + 3);  // INFO + ceil(40000 / 16382)
  // A burst that would run past the 24-bit bus is refused before any frame is sent.
  const std::size_t sent = board->requests.size();
  CHECK_THROWS_WITH(link.read_burst(0xFFFFF0, 100), Catch::Contains("runs past the 24-bit bus"));
  CHECK_THROWS_WITH(link.write_burst(0xFFFFFF, std::vector<std::uint32_t>(2, 1)),
                    Catch::Contains("runs past the 24-bit bus"));
  CHECK(board->requests.size() == sent);
  CHECK(link.read_burst(0xFFFFF0, 0).empty());
}

TEST_CASE("Generated RTL package carries protocol.hpp's constants", "[board]") {
  const std::string pkg = emit_board_pkg();
  auto value = [&](const std::string& name) {
    std::smatch m;
    const std::regex re("localparam [^=]*\\b" + name + " = (\\d+'h)?([0-9a-fA-F]+)");
    REQUIRE(std::regex_search(pkg, m, re));
    return std::stoul(m[2].str(), nullptr, m[1].matched ? 16 : 10);
  };
  CHECK(value("ReqSync") == kRequestSync);
  CHECK(value("RspSync") == kResponseSync);
  CHECK(value("CmdRun") == CMD_RUN);
  CHECK(value("CmdReadStates") == CMD_READ_STATES);
  CHECK(value("StBadLen") == ST_BAD_LEN);
  CHECK(value("StBusy") == ST_BUSY);
  CHECK(value("InfoTimeoutClks") == INFO_TIMEOUT_CLKS);
  CHECK(value("InfoWords") == kInfoWords);
  CHECK(value("InfoMagicValue") == kInfoMagic);
  CHECK(value("MaxReadWords") == kMaxReadWords);
}

TEST_CASE("fpga/README.md documents every command and status with its code", "[board]") {
  std::ifstream f(std::string(PBIT_SOURCE_DIR) + "/fpga/README.md");
  REQUIRE(f);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  char row[64];
  for (int c = 0; c < kNumCmds; ++c) {
    std::snprintf(row, sizeof row, "| `0x%02X` | %s |", c, cmd_name(static_cast<std::uint8_t>(c)));
    INFO(row);
    CHECK(doc.find(row) != std::string::npos);
  }
  for (int s = 0; s < kNumStatuses; ++s) {
    std::snprintf(row, sizeof row, "| `0x%02X` | %s |", s, status_name(static_cast<std::uint8_t>(s)));
    INFO(row);
    CHECK(doc.find(row) != std::string::npos);
  }
}

TEST_CASE("iCE40 PLL settings", "[board]") {
  for (double f : {16.0, 24.0, 30.0, 48.0, 100.0}) {
    const Pll p = ice40_pll(12, f);
    const double pfd = 12.0 / (p.divr + 1), vco = pfd * (p.divf + 1);
    CHECK(pfd >= 10);
    CHECK(vco >= 533);
    CHECK(vco <= 1066);
    CHECK(p.mhz == Approx(vco / (1 << p.divq)));
    CHECK(std::abs(p.mhz - f) <= 0.5 + 1e-9);  // 12 MHz steps of the VCO / 2^DIVQ
    CHECK(p.filter >= 1);
  }
  CHECK(ice40_pll(12, 24).mhz == Approx(24.0));
  CHECK_THROWS_AS(ice40_pll(12, 12), Error);  // below the PLL's range: run from the oscillator
}

TEST_CASE("pbit fpga and --backend board: clear errors", "[board][cli]") {
  Run r = run_pbit("fpga build --board nosuchboard --graph chimera:1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("unknown board 'nosuchboard'") && Catch::Contains("icebreaker"));
  r = run_pbit("fpga estimate --part nosuchpart --graph chimera:1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("unknown part 'nosuchpart'") && Catch::Contains("xcvu9p"));
  r = run_pbit("fpga program --board icebreaker --bitstream /nonexistent.bin --dry-run");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("no bitstream"));
  r = run_pbit("sample --graph chimera:1 --backend board --sweeps 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("needs --port"));
  r = run_pbit("sample --graph chimera:1 --backend board --port /nonexistent/tty --sweeps 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot open serial port /nonexistent/tty"));
  r = run_pbit("sample --graph chimera:1 --backend board --port /dev/null --sweeps 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("is not a serial port"));
  r = run_pbit("sample --graph chimera:1 --backend board --port /dev/null --baud 12345 --sweeps 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("unsupported baud rate 12345"));
  r = run_pbit("fpga build --board icebreaker --graph chimera:1 --schedule async");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--schedule async needs the async hardware"));
  {
    // Tools missing: the error names the Debian package.
    const std::string cmd = "env PATH=/nonexistent " + std::string(PBIT_BINARY_DIR) +
                            "/pbit fpga build --board icebreaker --graph chimera:1 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 512> buf;
    while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
    CHECK(WEXITSTATUS(pclose(p)) == 1);
    CHECK_THAT(out, Catch::Contains("yosys not found on PATH: install the Debian package yosys"));
  }
  // The lean array (--arch lean) has none of the features and only the chromatic schedule.
  r = run_pbit("fpga build --board icebreaker --graph chimera:1 --arch lean --stats 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the lean array has a ROM LUT, no statistics counters"));
  r = run_pbit("fpga sim --graph chimera:1 --arch lean --lut-writable 1 --build-only");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the lean array has a ROM LUT"));
  r = run_pbit("fpga sim --graph chimera:1 --arch lean --schedule async --build-only");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("only the chromatic schedule"));
  // Below the oscillator: the oscillator divided by 2..16 (the iCE40 PLL starts at 16 MHz).
  r = run_pbit("fpga build --board icebreaker --graph chimera:1 --freq 5");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--freq 5 MHz: below the oscillator's 12 MHz the clock is the oscillator "
                                    "divided by 2..16"));
  r = run_pbit("fpga estimate --graph chimera:1 --stats 1");  // the lean array by default
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the lean array has a ROM LUT"));
  // The engine (--arch engine): no statistics, chromatic.
  r = run_pbit("fpga build --board icebreaker --graph chimera:1 --arch engine --stats 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the engine has no statistics counters and no async schedule"));
  r = run_pbit("fpga sim --graph chimera:1 --arch engine --schedule async --build-only");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("only the chromatic schedule"));
  // pegasus:15 (4,928 p-bits) needs 3 banks of couplings + 2 of RNG states: no UP5K build.
  r = run_pbit("fpga build --board icebreaker --graph pegasus:15 --arch engine --beta-mode fold");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the engine's couplings and RNG states need 5 SPRAM blocks"));
  // The engine's estimate: its options checked before any synthesis.
  r = run_pbit("fpga estimate --graph chimera:1 --arch engine --stats 1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("the engine has no statistics counters and no async schedule"));
  r = run_pbit("fpga estimate --graph chimera:1 --arch engine --compare nosuch.json");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--compare 'nosuch.json': neither lean, full nor an estimate.json file"));
  r = run_pbit("fpga estimate --graph chimera:1 --arch engine --sizes 4,1");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--sizes: pegasus:M needs 2 <= M <= 64 (got 1)"));
  r = run_pbit("fpga estimate --graph chimera:1 --arch engine --part xc7a35t --engine-ram ultra");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--engine-ram ultra needs --arch engine and a part with UltraRAM (xc7a35t has 0)"));
  r = run_pbit("fpga estimate --graph chimera:1 --compare lean");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("--compare and --sizes go with --arch engine"));
  r = run_pbit("fpga --help");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("build") && Catch::Contains("estimate") && Catch::Contains("sim"));
}

TEST_CASE("Board backend: a silent device is reported, not waited for", "[board][cli]") {
  // A pseudo-terminal with nobody on the other side: a board that does not answer.
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(grantpt(master) == 0);
  REQUIRE(unlockpt(master) == 0);
  const std::string pty = ptsname(master);
  const Run r = run_pbit("sample --graph chimera:1 --backend board --port " + pty +
                         " --link-timeout-ms 50 --link-retries 1 --sweeps 1");
  close(master);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("no valid answer to INFO from " + pty) && Catch::Contains("2 attempts") &&
                        Catch::Contains("no response"));
}

// ---- The FPGA flow's parsers and cost model (fpga/, the pbit_fpga library).

namespace {

// yosys 0.23 `stat` of a hierarchical synth_xilinx run (chimera:1, trimmed).
const char* kHierStat = R"(
12. Printing statistics.

=== $paramod$296e\pbit_ctrl ===

   Number of wires:               1371
   Number of cells:               2217
     CARRY4                         77
     FDRE                          446
     FDSE                            2
     INV                           306
     LUT5                          136
     LUT6                          440
     MUXF7                         484

=== $paramod$65db\pbit_rng ===

   Number of cells:                  1
     $paramod\pbit_xorshift32\ResetValue=32'01      1

=== $paramod$b2f8\pbit_cell ===

   Number of cells:                899
     FDRE                           40
     LUT6                           80
     RAM32M                          2
     $paramod$65db\pbit_rng      1

=== $paramod\pbit_array\Stats=1'0 ===

   Number of cells:                119
     $paramod$b2f8\pbit_cell      8
     LUT6                           33

=== $paramod\pbit_xorshift32\ResetValue=32'01 ===

   Number of cells:                227
     FDSE                           32
     LUT6                           31

=== pbit_top ===

   Number of cells:                114
     $paramod$296e\pbit_ctrl      1
     $paramod\pbit_array\Stats=1'0      1
     BUFG                            1

=== design hierarchy ===

   pbit_top                          1
     $paramod$296e\pbit_ctrl      1
     $paramod\pbit_array\Stats=1'0      1
       $paramod$b2f8\pbit_cell      8
         $paramod$65db\pbit_rng      1
           $paramod\pbit_xorshift32\ResetValue=32'01      1

   Number of wires:               8438
   Number of cells:              11452
     BUFG                            1
     CARRY4                        173
     FDRE                          806
     FDSE                          162
     INV                           842
     LUT2                          838
     LUT6                         1361
     MUXF7                        2524
     RAMB36E2                        3
     RAMB18E2                        1
     DSP48E2                         2
     RAM32M                         16
)";

}  // namespace

TEST_CASE("yosys stat: modules, instances and totals of a hierarchical design", "[fpga][parser]") {
  const fpga::YosysStat st = fpga::parse_yosys_stat(kHierStat);
  REQUIRE(st.own.size() == 6);
  const auto& cell = st.own.at("$paramod$b2f8\\pbit_cell");
  CHECK(cell.lut == 80);
  CHECK(cell.ff == 40);
  CHECK(cell.lutram == 2);
  const auto& ctrl = st.own.at("$paramod$296e\\pbit_ctrl");
  CHECK(ctrl.lut == 576);
  CHECK(ctrl.ff == 448);
  CHECK(ctrl.inv == 306);
  CHECK(ctrl.carry == 77);
  CHECK(ctrl.muxf == 484);
  // Instances at their first appearance in the hierarchy.
  CHECK(st.instances.at("$paramod$b2f8\\pbit_cell") == 8);
  CHECK(st.instances.at("$paramod\\pbit_array\\Stats=1'0") == 1);
  CHECK(st.instances.at("pbit_top") == 1);
  // Totals: the hierarchy section's cells; RAMB36 = 2 RAMB18 units.
  CHECK(st.total.lut == 2199);
  CHECK(st.total.ff == 968);
  CHECK(st.total.bram == 7);
  CHECK(st.total.dsp == 2);
  CHECK(st.total.lutram == 16);
  CHECK(st.total.inv == 842);
}

TEST_CASE("yosys stat: a flat design, iCE40 cells, malformed input", "[fpga][parser]") {
  const std::string flat = R"(
=== $paramod$597a\pbit_cell_probe ===

   Number of wires:                869
   Number of memories:               0
   Number of cells:               1795
     CARRY4                         12
     FDRE                          111
     FDSE                           20
     LUT2                           83
     LUT6                          455
     MUXF8                          71
)";
  const auto st = fpga::parse_yosys_stat(flat);
  CHECK(st.total.lut == 538);
  CHECK(st.total.ff == 131);
  CHECK(st.total.carry == 12);
  CHECK(st.instances.at("$paramod$597a\\pbit_cell_probe") == 1);
  const std::string ice = "=== pbit_board_top ===\n   Number of cells: 9\n     SB_CARRY 3\n     SB_DFFE 4\n"
                          "     SB_DFFESR 2\n     SB_LUT4 7\n     SB_RAM40_4K 2\n     SB_MAC16 1\n";
  const auto i = fpga::parse_yosys_stat(ice);
  CHECK(i.total.lut == 7);
  CHECK(i.total.ff == 6);
  CHECK(i.total.carry == 3);
  CHECK(i.total.bram == 2);
  CHECK(i.total.dsp == 1);
  CHECK(fpga::last_cell_count(ice, "SB_LUT4") == 7);
  CHECK(fpga::last_cell_count(kHierStat, "LUT6") == 1361);  // the design total, listed last
  CHECK(fpga::last_cell_count(kHierStat, "SB_LUT4") == 0);
  CHECK_THROWS_AS(fpga::parse_yosys_stat(""), Error);
  CHECK_THROWS_AS(fpga::parse_yosys_stat("ERROR: Module `foo' not found!\n"), Error);
  CHECK_THROWS_AS(fpga::parse_yosys_stat("=== a ===\n LUT6 1\n=== b ===\n LUT6 2\n"), Error);  // no hierarchy
  CHECK_THROWS_AS(fpga::parse_yosys_stat("=== a ===\n     LUT6 99999999999999999999999\n"), Error);
}

TEST_CASE("yosys log: a parameter of each derived module", "[fpga][parser]") {
  const std::string log = "Parameter \\Degree = 4\n"
                          "Generating RTLIL representation for module `$paramod$9896\\pbit_cell'.\n"
                          "Parameter \\Degree = 15\nParameter \\Stats = 0\n"
                          "Parameter \\Degree = 13\n"
                          "Generating RTLIL representation for module `$paramod$1234\\pbit_cell'.\n"
                          "Generating RTLIL representation for module `$paramod$5678\\pbit_cell'.\n"
                          "Parameter \\Degree = 7\n"
                          "Generating RTLIL representation for module `$paramod$abcd\\pbit_ctrl'.\n";
  const auto d = fpga::derived_parameter(log, "pbit_cell", "Degree");
  REQUIRE(d.size() == 2);  // the third cell names no Degree; the ctrl is no cell
  CHECK(d.at("$paramod$9896\\pbit_cell") == 4);
  CHECK(d.at("$paramod$1234\\pbit_cell") == 13);
}

TEST_CASE("nextpnr report: slowest clock, used resources, malformed reports", "[fpga][parser]") {
  const std::string ok = R"({
    "utilization": {"ICESTORM_LC": {"available": 5280, "used": 5229}, "ICESTORM_RAM": {"available": 30, "used": 2},
                    "ICESTORM_DSP": {"available": 8, "used": 0}},
    "fmax": {"clk$SB_IO_IN_$glb_clk": {"achieved": 13.17, "constraint": 12.0}, "other": {"achieved": 40.5, "constraint": 12.0}},
    "critical_paths": []})";
  const auto r = fpga::parse_nextpnr_report(ok);
  CHECK(r.fmax_mhz == Approx(13.17));
  REQUIRE(r.utilization.size() == 2);
  CHECK(r.utilization.at("ICESTORM_LC").used == 5229);
  CHECK(r.utilization.at("ICESTORM_LC").available == 5280);
  CHECK(r.utilization.at("ICESTORM_RAM").used == 2);
  CHECK(fpga::parse_nextpnr_report(R"({"utilization": {}})").fmax_mhz == 0);  // no clock
  for (const char* bad : {"", "not json", "[1,2]", R"({"fmax": {}})",
                          R"({"utilization": {"LC": {"used": "many", "available": 1}}})",
                          R"({"utilization": {"LC": {"used": 1}}})",
                          R"({"utilization": {}, "fmax": {"clk": {"constraint": 12}}})",
                          R"({"utilization": {"LC": {"used": -1, "available": 1}}})"}) {
    INFO(bad);
    CHECK_THROWS_AS(fpga::parse_nextpnr_report(bad), Error);
  }
}

TEST_CASE("Board files: the shipped boards, and clear errors for bad ones", "[fpga][parser]") {
  const fpga::Board ib = fpga::load_board("icebreaker");
  CHECK(ib.device == "up5k");
  CHECK(ib.package == "sg48");
  CHECK(ib.pll == "pad");
  CHECK(ib.osc_mhz == 12);
  CHECK(ib.led_active_low);
  CHECK(ib.logic_cells == 5280);
  CHECK_THAT(ib.pcf, Catch::EndsWith("fpga/boards/icebreaker.pcf"));
  const fpga::Board hx = fpga::load_board("hx8k");
  CHECK(hx.device == "hx8k");
  CHECK(hx.pll == "core");
  CHECK(hx.freq_mhz == 30);
  CHECK(fpga::board_names() == std::vector<std::string>{"hx8k", "icebreaker"});
  CHECK_THROWS_WITH(fpga::load_board("../boards/icebreaker"), Catch::Contains("unknown board"));
  CHECK_THROWS_WITH(fpga::load_board("nosuch"), Catch::Contains("unknown board 'nosuch'") && Catch::Contains("hx8k"));

  const std::string good = "# a board\ndevice = up5k\npackage = sg48\nosc_mhz = 12\npll = pad  # comment\n"
                           "freq_mhz = 24\nled_active_low = 0\nlogic_cells = 5280\n";
  const auto b = fpga::parse_board(good, "x", "x.board");
  CHECK(b.freq_mhz == 24);
  CHECK(b.pll == "pad");
  CHECK(b.ofl_board.empty());
  auto with = [&](const std::string& key, const std::string& value) {
    std::string t;
    std::istringstream in(good);
    for (std::string line; std::getline(in, line);)
      if (line.rfind(key + " ", 0) != 0) t += line + "\n";
    return value.empty() ? t : t + key + " = " + value + "\n";
  };
  CHECK_THROWS_WITH(fpga::parse_board(with("package", ""), "x", "x.board"), "x.board: missing 'package'");
  CHECK_THROWS_WITH(fpga::parse_board(with("pll", "maybe"), "x", "x.board"),
                    Catch::Contains("pll must be pad, core or none"));
  CHECK_THROWS_WITH(fpga::parse_board(with("osc_mhz", "12MHz"), "x", "x.board"),
                    Catch::Contains("osc_mhz must be a number"));
  CHECK_THROWS_WITH(fpga::parse_board(with("freq_mhz", "nan"), "x", "x.board"),
                    Catch::Contains("freq_mhz must be a number"));
  CHECK_THROWS_WITH(fpga::parse_board(with("logic_cells", "-5"), "x", "x.board"),
                    Catch::Contains("logic_cells must be a number"));
  CHECK_THROWS_WITH(fpga::parse_board(with("led_active_low", "yes"), "x", "x.board"),
                    Catch::Contains("led_active_low must be 0 or 1"));
  CHECK_THROWS_WITH(fpga::parse_board(good + "device = hx8k\n", "x", "x.board"),
                    Catch::Contains("x.board:9: 'device' given twice"));
  CHECK_THROWS_WITH(fpga::parse_board(good + "just words\n", "x", "x.board"),
                    Catch::Contains("x.board:9: expected 'key = value'"));
}

TEST_CASE("Cost model: fit per degree, prediction, the largest graph that fits", "[fpga]") {
  // Exactly linear points are recovered; the weights do not matter then.
  const auto f = fpga::fit_per_degree({{6, 32, 70 + 6 * 40.0}, {10, 100, 70 + 10 * 40.0}, {15, 4000, 70 + 15 * 40.0}});
  CHECK(f.a == Approx(70));
  CHECK(f.b == Approx(40));
  // Weighted: two degrees, the fit passes through both (two points, two unknowns).
  const auto g = fpga::fit_per_degree({{4, 1, 10}, {8, 3, 30}});
  CHECK(g.at(4) == Approx(10));
  CHECK(g.at(8) == Approx(30));
  // One degree: a constant.
  const auto c = fpga::fit_per_degree({{5, 7, 123}});
  CHECK(c.a == Approx(123));
  CHECK(c.b == 0);
  CHECK_THROWS_AS(fpga::fit_per_degree({}), Error);

  fpga::CostModel m;
  m.lut = {10, 2};
  m.ff = {5, 1};
  m.fixed_lut = 100;
  m.fixed_ff = 50;
  const auto p2 = graphs::make_graph("pegasus:2");  // 40 nodes, 164 edges
  const auto pr = fpga::predict(m, p2);
  CHECK(pr.lut == Approx(100 + 40 * 10 + 2 * 2 * 164));
  CHECK(pr.ff == Approx(50 + 40 * 5 + 2 * 164));
  // The cap between pegasus:3 and pegasus:4 selects pegasus:3.
  const double lut3 = fpga::predict(m, graphs::make_graph("pegasus:3")).lut;
  const double lut4 = fpga::predict(m, graphs::make_graph("pegasus:4")).lut;
  REQUIRE(lut3 < lut4);
  const auto l = fpga::largest_fitting(m, "pegasus", 2, "", (lut3 + lut4) / 2, 1e12);
  CHECK(l.m == 3);
  CHECK(l.pbits == graphs::make_graph("pegasus:3").num_nodes());
  CHECK(fpga::largest_fitting(m, "pegasus", 2, "", 1, 1e12).m == 0);
  CHECK(fpga::largest_fitting(m, "pegasus", 2, "", 1e12, pr.ff - 1).m == 0);  // FFs bind too
}

TEST_CASE("Xilinx parts and the programming command", "[fpga]") {
  CHECK(fpga::find_xilinx_part("xcvu9p").luts == 1182240);
  CHECK(fpga::find_xilinx_part("xcvu9p").family == "xcup");
  CHECK_THROWS_WITH(fpga::find_xilinx_part("xc9"), Catch::Contains("unknown part 'xc9'") && Catch::Contains("xc7a35t"));
  const auto b = fpga::load_board("icebreaker");
  const std::string bin = std::string(PBIT_BINARY_DIR) + "/test_fpga_program.bin";
  { std::ofstream(bin) << "x"; }
  CHECK(fpga::program_command(b, bin, false) ==
        std::vector<std::string>{"openFPGALoader", "-b", "ice40_generic", "-f", bin});
  CHECK(fpga::program_command(b, bin, true)[3] == "-m");
  std::remove(bin.c_str());
  CHECK_THROWS_WITH(fpga::program_command(b, bin, false), Catch::Contains("no bitstream"));
}

// The lean estimate's parsers: LUTs under distributed RAM, the longest path.
TEST_CASE("lutram_luts and ltp_length read yosys' stat and ltp", "[fpga][lean]") {
  const std::string stat =
      "=== pbit_group_probe ===\n\n   Number of cells:                703\n"
      "     CARRY4                         16\n     FDRE                          105\n"
      "     LUT6                          141\n     RAM32M16                       11\n"
      "     RAM64X1D                        2\n     SRLC32E                         3\n";
  CHECK(pbit::fpga::lutram_luts(stat) == 11 * 8 + 2 * 2 + 3);
  CHECK(pbit::fpga::lutram_luts("=== m ===\n     LUT6 4\n") == 0);
  CHECK(pbit::fpga::ltp_length("\nLongest topological path in pbit_group_probe (length=17):\n    0: \\x\n") == 17);
  CHECK(pbit::fpga::ltp_length("nothing here") == 0);
}

// The update path's LUT levels from a yosys JSON netlist (logic_depth.hpp).
TEST_CASE("logic_depth counts the LUTs on the deepest combinational path", "[fpga][lean]") {
  // Bits: 2 = port in, 3 = FF q; ff d = 20. Path A: q -> LUT a -> CARRY4 c -> LUT b -> ff d
  // (2 LUTs + 1 carry). Path B: port -> RAM read (ADDRA) -> LUT e -> LUT f -> LUT g -> RAM DIA
  // (4 levels: the RAM read counts; its data input ends the path, so no loop through it).
  auto cell = [](const std::string& type, nlohmann::json dirs, nlohmann::json conns) {
    return nlohmann::json{{"type", type}, {"port_directions", dirs}, {"connections", conns}};
  };
  const nlohmann::json lut2 = {{"I0", "input"}, {"I1", "input"}, {"O", "output"}};
  nlohmann::json cells = {
      {"ff", cell("FDRE", {{"C", "input"}, {"D", "input"}, {"Q", "output"}}, {{"C", {1}}, {"D", {20}}, {"Q", {3}}})},
      {"a", cell("LUT2", lut2, {{"I0", {3}}, {"I1", {2}}, {"O", {10}}})},
      {"c", cell("CARRY4", {{"S", "input"}, {"CI", "input"}, {"CO", "output"}, {"O", "output"}},
                 {{"S", {10, "0", "0", "0"}}, {"CI", {"0"}}, {"CO", {11, 12, 13, 14}}, {"O", {15, 16, 17, 18}}})},
      {"b", cell("LUT2", lut2, {{"I0", {14}}, {"I1", {3}}, {"O", {20}}})},
      {"ram", cell("RAM32M16", {{"ADDRA", "input"}, {"DIA", "input"}, {"WE", "input"}, {"DOA", "output"}},
                   {{"ADDRA", {2, "0"}}, {"DIA", {33, 33}}, {"WE", {20}}, {"DOA", {30, 31}}})},
      {"e", cell("LUT2", lut2, {{"I0", {30}}, {"I1", {31}}, {"O", {32}}})},
      {"i", cell("INV", {{"I", "input"}, {"O", "output"}}, {{"I", {32}}, {"O", {34}}})},
      {"f", cell("LUT2", lut2, {{"I0", {34}}, {"I1", {2}}, {"O", {35}}})},
      {"g", cell("LUT2", lut2, {{"I0", {35}}, {"I1", {3}}, {"O", {33}}})}};
  nlohmann::json net = {{"modules", {{"top", {{"cells", cells}}}}}};
  auto d = fpga::logic_depth(net, "top");
  CHECK(d.lut_levels == 4);
  CHECK(d.carry_cells == 0);
  CHECK(d.path == std::vector<std::string>{"RAM32M16", "LUT2", "LUT2", "LUT2"});
  // Without the RAM path the carry path is the deepest: 2 LUTs and the CARRY4 between them.
  for (const char* c : {"ram", "e", "i", "f", "g"}) net["modules"]["top"]["cells"].erase(c);
  d = fpga::logic_depth(net, "top");
  CHECK(d.lut_levels == 2);
  CHECK(d.carry_cells == 1);
  CHECK(d.path == std::vector<std::string>{"LUT2", "CARRY4", "LUT2"});
  // A combinational loop, a cell without port directions, a missing module: errors.
  auto loop = net;
  loop["modules"]["top"]["cells"]["a"]["connections"]["I1"] = {20};
  CHECK_THROWS_WITH(fpga::logic_depth(loop, "top"), Catch::Contains("combinational loop"));
  auto nodir = net;
  nodir["modules"]["top"]["cells"]["b"].erase("port_directions");
  CHECK_THROWS_WITH(fpga::logic_depth(nodir, "top"), Catch::Contains("cell b (LUT2) has no port directions"));
  CHECK_THROWS_WITH(fpga::logic_depth(net, "other"), Catch::Contains("no module 'other'"));
}
