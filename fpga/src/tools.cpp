// Running the flow's tools (tools.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/tools.hpp>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pbit::fpga {
namespace fs = std::filesystem;

std::string fpga_dir() {
  if (const char* d = std::getenv("PBIT_FPGA_DIR"); d && *d) return d;
  return std::string(PBIT_SOURCE_DIR) + "/fpga";
}

std::string source_dir() {
  if (const char* d = std::getenv("PBIT_SOURCE_DIR"); d && *d) return d;
  return PBIT_SOURCE_DIR;
}

std::string find_tool(const std::string& name, const std::string& debian_package) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');) {
    const fs::path p = fs::path(dir) / name;
    if (!dir.empty() && ::access(p.c_str(), X_OK) == 0) return p.string();
  }
  throw Error(name + " not found on PATH: install the Debian package " + debian_package +
              " (bash .ci/setup does)");
}

ToolRun run_tool(const std::vector<std::string>& argv, const std::string& log) {
  if (argv.empty()) throw Error("run_tool: no command");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(rc));
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  ToolRun r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

std::string log_error(const std::string& log) {
  std::ifstream f(log);
  std::string line, found, last;
  while (std::getline(f, line)) {
    if (!line.empty()) last = line;
    if (found.empty() &&
        (line.find("ERROR") != std::string::npos || line.find("%Error") != std::string::npos ||
         line.find("error:") != std::string::npos))
      found = line;
  }
  return found.empty() ? last : found;
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error("cannot read " + path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) throw Error("cannot write " + path);
}

std::string sanitize(const std::string& s) {
  std::string o;
  for (char c : s) o += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return o;
}

std::string join_files(const std::vector<std::string>& files) {
  std::string s;
  for (const auto& f : files) s += " " + f;
  return s;
}

}  // namespace pbit::fpga
