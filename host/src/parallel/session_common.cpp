#include <pbit/parallel/session.hpp>

#include <cstdlib>

namespace pbit::parallel {

bool Session::launched_by_mpi() {
  // Open MPI's mpirun, PMIx launchers (srun --mpi=pmix, prterun), MPICH's
  // hydra and PMI-2 (srun --mpi=pmi2).
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}

}  // namespace pbit::parallel
