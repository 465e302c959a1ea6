// Session of a build without MPI: always one process.
#include <pbit/parallel/session.hpp>

namespace pbit::parallel {

Session::Session(int&, char**&) : world_(std::make_unique<SerialCommunicator>()) {}
Session::~Session() = default;
bool Session::mpi_available() {
  return false;
}

}  // namespace pbit::parallel
