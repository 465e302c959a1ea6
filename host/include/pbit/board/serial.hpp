#pragma once
// A serial port through termios: raw 8N1, no flow control, a configurable
// baud rate, reads with deadlines. Also works on a pseudo-terminal (the
// simulated board of `pbit fpga sim`), where the baud rate is ignored.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace pbit::board {

// Byte stream with deadlines: what the frame link needs (tests substitute
// their own).
class ByteChannel {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~ByteChannel() = default;
  virtual void write(const std::uint8_t* p, std::size_t n) = 0;  // throws pbit::Error
  // Reads up to n bytes, waiting until at least one arrives or the deadline
  // passes (returns 0). Throws pbit::Error on I/O errors.
  virtual std::size_t read(std::uint8_t* p, std::size_t n, Clock::time_point deadline) = 0;
  // Drops whatever has been received and not read yet.
  virtual void discard_input() = 0;
  virtual std::string describe() const = 0;  // for error messages
};

class SerialPort final : public ByteChannel {
 public:
  // Opens and configures the port; throws pbit::Error naming the port and
  // the reason (missing, permission, not a terminal, unsupported baud).
  SerialPort(const std::string& path, int baud);
  ~SerialPort() override;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;

  void write(const std::uint8_t* p, std::size_t n) override;
  std::size_t read(std::uint8_t* p, std::size_t n, Clock::time_point deadline) override;
  void discard_input() override;
  std::string describe() const override;
  int baud() const { return baud_; }

 private:
  std::string path_;
  int baud_ = 0;
  int fd_ = -1;
};

// Whether termios has a constant for this rate (Linux: 50 .. 4000000).
bool is_supported_baud(int baud);

}  // namespace pbit::board
