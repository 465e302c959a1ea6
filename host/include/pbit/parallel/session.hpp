#pragma once
// The processes of one run. Built with -DPBIT_MPI=ON and started by an MPI
// launcher (mpirun, mpiexec, srun), a Session joins the MPI job (MPI_COMM_WORLD,
// one communicator thread: OpenMP threads never call MPI) and leaves it when
// destroyed; otherwise it is one process (serial()). A program started
// without a launcher never initializes MPI (which would cost a second).
#include <pbit/parallel/communicator.hpp>

#include <memory>

namespace pbit::parallel {

class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Communicator& world() const { return *world_; }
  // Whether this build can run under MPI.
  static bool mpi_available();
  // Whether the environment says an MPI launcher started this process.
  static bool launched_by_mpi();

 private:
  std::unique_ptr<Communicator> world_;
  bool initialized_ = false;
};

}  // namespace pbit::parallel
