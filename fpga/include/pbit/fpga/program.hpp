#pragma once
// Programming a board with openFPGALoader.
#include <pbit/fpga/board_file.hpp>

#include <string>
#include <vector>

namespace pbit::fpga {

// openFPGALoader -b BOARD -f|-m BITSTREAM (-f: SPI flash; -m: SRAM). Throws
// pbit::Error if the bitstream is not a file or the board names no loader board.
std::vector<std::string> program_command(const Board& board, const std::string& bitstream,
                                         bool sram);

// Runs it; the tool's output goes to stderr. Throws pbit::Error as above, or
// if the tool is missing or fails.
void program_board(const Board& board, const std::string& bitstream, bool sram);

}  // namespace pbit::fpga
