// SerialPort (serial.hpp): termios, raw 8N1.
#include <pbit/board/serial.hpp>
#include <pbit/error.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace pbit::board {
namespace {

speed_t speed_of(int baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 500000: return B500000;
    case 576000: return B576000;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 1152000: return B1152000;
    case 1500000: return B1500000;
    case 2000000: return B2000000;
    case 2500000: return B2500000;
    case 3000000: return B3000000;
    case 3500000: return B3500000;
    case 4000000: return B4000000;
    default: return B0;
  }
}

std::string sys_error() { return std::strerror(errno); }

}  // namespace

bool is_supported_baud(int baud) { return speed_of(baud) != B0; }

SerialPort::SerialPort(const std::string& path, int baud) : path_(path), baud_(baud) {
  if (!is_supported_baud(baud))
    throw Error("unsupported baud rate " + std::to_string(baud) +
                " (use a standard rate: 9600, 115200, 230400, 460800, 921600, 1000000, 2000000, 3000000, ...)");
  fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw Error("cannot open serial port " + path + ": " + sys_error());
  termios t{};
  if (::tcgetattr(fd_, &t) != 0) {
    const std::string why = sys_error();
    ::close(fd_);
    throw Error(path + " is not a serial port (" + why + ")");
  }
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS | CSIZE);
  t.c_cflag |= CS8;
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  if (::cfsetispeed(&t, speed_of(baud)) != 0 || ::cfsetospeed(&t, speed_of(baud)) != 0 ||
      ::tcsetattr(fd_, TCSANOW, &t) != 0) {
    const std::string why = sys_error();
    ::close(fd_);
    throw Error("cannot configure " + path + " for " + std::to_string(baud) + " baud 8N1: " + why);
  }
  ::tcflush(fd_, TCIOFLUSH);
}

SerialPort::~SerialPort() {
  if (fd_ >= 0) ::close(fd_);
}

void SerialPort::write(const std::uint8_t* p, std::size_t n) {
  const auto deadline = Clock::now() + std::chrono::seconds(5) +
                        std::chrono::microseconds(n * 10'000'000ull / static_cast<unsigned>(baud_) * 2);
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w > 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      throw Error("write to " + path_ + " failed: " + sys_error());
    if (Clock::now() > deadline) throw Error("write to " + path_ + " timed out (output blocked)");
    pollfd pf{fd_, POLLOUT, 0};
    ::poll(&pf, 1, 50);
  }
}

std::size_t SerialPort::read(std::uint8_t* p, std::size_t n, Clock::time_point deadline) {
  for (;;) {
    const ssize_t r = ::read(fd_, p, n);
    if (r > 0) return static_cast<std::size_t>(r);
    if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      throw Error("read from " + path_ + " failed: " + sys_error());
    const auto now = Clock::now();
    if (now >= deadline) return 0;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd pf{fd_, POLLIN, 0};
    const int pr = ::poll(&pf, 1, static_cast<int>(std::min<long long>(ms + 1, 1000)));
    if (pr > 0 && (pf.revents & (POLLERR | POLLNVAL)))
      throw Error("serial port " + path_ + " failed (device gone?)");
    if (pr > 0 && (pf.revents & POLLHUP) && !(pf.revents & POLLIN))
      throw Error("serial port " + path_ + " hung up (device gone?)");
  }
}

void SerialPort::discard_input() {
  ::tcflush(fd_, TCIFLUSH);
  std::uint8_t junk[256];
  while (::read(fd_, junk, sizeof junk) > 0) {
  }
}

std::string SerialPort::describe() const { return path_ + " at " + std::to_string(baud_) + " baud"; }

}  // namespace pbit::board
