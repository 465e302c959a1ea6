// The simulated p-bit board: the verilated pbit_board_top (array + register
// block + UART bridge) with its UART pins bridged to a pseudo-terminal, so the
// host's board driver talks to it exactly as to a real board's serial port:
//
//   pbit fpga sim --graph chimera:1          # prints /dev/pts/N
//   pbit sample --backend board --port /dev/pts/N ...
//
// Built by `pbit fpga sim` (verilator --cc --exe with this file). Bytes the
// host writes to the pty are sent to uart_rx_i bit by bit (8N1,
// PBIT_CLKS_PER_BIT clocks a bit); uart_tx_o is sampled the same way and the
// received bytes written back to the pty. The clock runs while anything is
// happening (a byte in flight, the link LED, the run LED) and otherwise the
// process sleeps in poll(), so an idle board costs no CPU.
//
// Options: --pty-file FILE (write the pty path there too), --idle-exit S
// (exit after S seconds without traffic), --corrupt-every N (flip one bit of
// every Nth byte in each direction: exercises CRC errors, retries and the
// replay of a RUN whose answer was lost).
#include "Vpbit_board_top.h"
#include "verilated.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <termios.h>
#include <unistd.h>

#ifndef PBIT_CLKS_PER_BIT
#error "PBIT_CLKS_PER_BIT must match the verilated ClksPerBit"
#endif

namespace {

constexpr int kClksPerBit = PBIT_CLKS_PER_BIT;
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// Drives a line with 8N1 frames.
struct LineTx {
  std::deque<unsigned char> queue;
  int bit = -1;  // -1 idle; 0 start, 1..8 data, 9 stop
  int clk = 0;
  unsigned char cur = 0;
  bool level = true;
  bool busy() const { return bit >= 0 || !queue.empty(); }
  void tick() {
    if (bit < 0) {
      if (queue.empty()) {
        level = true;
        return;
      }
      cur = queue.front();
      queue.pop_front();
      bit = 0;
      clk = 0;
    }
    level = bit == 0 ? false : bit <= 8 ? ((cur >> (bit - 1)) & 1) != 0 : true;
    if (++clk == kClksPerBit) {
      clk = 0;
      if (++bit == 10) bit = -1;
    }
  }
};

// Samples a line for 8N1 frames (mid-bit).
struct LineRx {
  int bit = -1;
  int clk = 0;
  unsigned char cur = 0;
  bool active() const { return bit >= 0; }
  // Returns 0..255 for a received byte, -1 otherwise, -2 for a framing error.
  int tick(bool level) {
    if (bit < 0) {
      if (!level) {
        bit = 0;
        clk = 0;
        cur = 0;
      }
      return -1;
    }
    ++clk;
    if (clk == kClksPerBit / 2 + bit * kClksPerBit) {
      if (bit >= 1 && bit <= 8) cur |= static_cast<unsigned char>((level ? 1 : 0) << (bit - 1));
      if (bit == 9) {
        bit = -1;
        return level ? cur : -2;
      }
      ++bit;
    }
    return -1;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string pty_file;
  double idle_exit = 0;
  long corrupt_every = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pty-file" && i + 1 < argc) pty_file = argv[++i];
    else if (a == "--idle-exit" && i + 1 < argc) idle_exit = std::atof(argv[++i]);
    else if (a == "--corrupt-every" && i + 1 < argc) corrupt_every = std::atol(argv[++i]);
    else if (a.rfind("+verilator", 0) == 0) continue;
    else {
      std::fprintf(stderr, "pbit_board_sim: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    std::perror("pbit_board_sim: posix_openpt");
    return 1;
  }
  const char* name = ptsname(master);
  // Hold the slave side open (raw), so the master never sees a hang-up when
  // a host closes the port, and nothing is echoed before a host configures it.
  const int slave = open(name, O_RDWR | O_NOCTTY);
  termios t{};
  if (slave < 0 || tcgetattr(slave, &t) != 0) {
    std::perror("pbit_board_sim: pty slave");
    return 1;
  }
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  std::printf("%s\n", name);
  std::fflush(stdout);
  if (!pty_file.empty()) {
    const std::string tmp = pty_file + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
      std::fprintf(f, "%s\n", name);
      std::fclose(f);
      std::rename(tmp.c_str(), pty_file.c_str());
    }
  }

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vpbit_board_top>(ctx.get());
  top->clk_i = 0;
  top->uart_rx_i = 1;
  top->eval();

  LineTx to_board;
  LineRx from_board;
  std::uint64_t cycles = 0, bytes_in = 0, bytes_out = 0, damaged_in = 0, damaged_out = 0;
  auto last_traffic = std::chrono::steady_clock::now();
  unsigned char buf[4096];
  std::string outbuf;
  for (;;) {
    if (g_stop) break;
    // Fetch host bytes: block when the board is idle, otherwise peek now and then.
    const bool idle = !to_board.busy() && !from_board.active() && !top->led_link_o && !top->led_run_o &&
                      outbuf.empty() && cycles > 64;
    if (idle || (cycles & 255) == 0) {
      pollfd pf{master, POLLIN, 0};
      const int pr = poll(&pf, 1, idle ? 50 : 0);
      if (pr > 0 && (pf.revents & POLLIN)) {
        const ssize_t n = read(master, buf, sizeof buf);
        for (ssize_t i = 0; i < n; ++i) {
          unsigned char b = buf[i];
          ++bytes_in;
          if (corrupt_every > 0 && bytes_in % static_cast<std::uint64_t>(corrupt_every) == 0) {
            b ^= static_cast<unsigned char>(1u << (bytes_in / corrupt_every % 8));
            ++damaged_in;
          }
          to_board.queue.push_back(b);
        }
        if (n > 0) last_traffic = std::chrono::steady_clock::now();
      }
      if (idle && to_board.queue.empty()) {
        if (idle_exit > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - last_traffic).count() > idle_exit)
          break;
        continue;
      }
    }
    // One clock cycle.
    to_board.tick();
    top->uart_rx_i = to_board.level;
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    top->eval();
    ++cycles;
    const int got = from_board.tick(top->uart_tx_o != 0);
    if (got >= 0) {
      unsigned char o = static_cast<unsigned char>(got);
      ++bytes_out;
      if (corrupt_every > 0 && (bytes_out + corrupt_every / 2) % static_cast<std::uint64_t>(corrupt_every) == 0)
      {
        o ^= static_cast<unsigned char>(1u << (bytes_out / corrupt_every % 8));
        ++damaged_out;
      }
      outbuf.push_back(static_cast<char>(o));
    } else if (got == -2) {
      std::fprintf(stderr, "pbit_board_sim: framing error on uart_tx_o at cycle %llu\n",
                   static_cast<unsigned long long>(cycles));
    }
    // Flush the answer when the line is idle (or a lot is pending).
    if (!outbuf.empty() && (!from_board.active() || outbuf.size() >= 1024)) {
      std::size_t off = 0;
      while (off < outbuf.size()) {
        const ssize_t w = write(master, outbuf.data() + off, outbuf.size() - off);
        if (w > 0) off += static_cast<std::size_t>(w);
        else if (w < 0 && errno != EAGAIN && errno != EINTR) break;
        else {
          pollfd pf{master, POLLOUT, 0};
          poll(&pf, 1, 10);
        }
      }
      outbuf.clear();
      last_traffic = std::chrono::steady_clock::now();
    }
  }
  top->final();
  std::fprintf(stderr, "pbit_board_sim: %llu cycles, %llu bytes in (%llu damaged), %llu bytes out (%llu damaged)\n",
               static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(bytes_in),
               static_cast<unsigned long long>(damaged_in), static_cast<unsigned long long>(bytes_out),
               static_cast<unsigned long long>(damaged_out));
  close(slave);
  close(master);
  return 0;
}
