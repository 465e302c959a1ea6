// Names of the frame protocol's commands and statuses (protocol.hpp).
#include <pbit/board/protocol.hpp>

namespace pbit::board {

const char* cmd_name(std::uint8_t cmd) {
  switch (cmd) {
    case CMD_INFO: return "INFO";
    case CMD_READ: return "READ";
    case CMD_WRITE: return "WRITE";
    case CMD_READ_BURST: return "READ_BURST";
    case CMD_WRITE_BURST: return "WRITE_BURST";
    case CMD_RUN: return "RUN";
    case CMD_READ_STATS: return "READ_STATS";
    case CMD_READ_STATES: return "READ_STATES";
    default: return "?";
  }
}

const char* status_name(std::uint8_t status) {
  switch (status) {
    case ST_OK: return "OK";
    case ST_BAD_CRC: return "BAD_CRC";
    case ST_BAD_CMD: return "BAD_CMD";
    case ST_BAD_LEN: return "BAD_LEN";
    case ST_BAD_ARG: return "BAD_ARG";
    case ST_TIMEOUT: return "TIMEOUT";
    case ST_FRAMING: return "FRAMING";
    case ST_BUSY: return "BUSY";
    default: return "?";
  }
}

}  // namespace pbit::board
