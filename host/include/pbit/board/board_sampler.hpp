#pragma once
// The `board` backend: the Sampler interface on a p-bit board (or the
// simulated board of `pbit fpga sim`) over a serial port, speaking the UART
// frame protocol (protocol.hpp). The register sequence is the `rtl`
// backend's: weights, fields, LUT, seeds, clamps, RUN (run N sweeps),
// on-chip statistics (READ_STATS), states (READ_STATES); several chains share
// the one array by context switching over the link, so chain c reproduces
// the `ref` backend's chain c bit for bit. A board built without statistics
// counters (INFO flags) is sampled sweep by sweep, the statistics kept here.
#include <pbit/board/link.hpp>
#include <pbit/sampler.hpp>

#include <memory>
#include <string>

namespace pbit::board {

struct BoardOptions {
  std::string port;       // serial device, e.g. /dev/ttyUSB1 or a /dev/pts/N of `pbit fpga sim`
  int baud = 115200;
  LinkOptions link;
};

std::unique_ptr<Sampler> make_board_sampler(const BoardOptions& options);
// Sampler made over an already open channel (tests).
std::unique_ptr<Sampler> make_board_sampler(std::unique_ptr<ByteChannel> channel, int baud,
                                            const LinkOptions& link = {});
// The link of a board sampler (counters, info); null for other samplers.
const BoardLink* board_link(const Sampler& s);

}  // namespace pbit::board
