// Model files in MATLAB's .mat format through libmatio (model_file.hpp).
//
// The layout of the published p-bit DBM code: a symmetric N x N coupling
// matrix (sparse or dense), a 1 x N field vector, the 1-based node indices of
// the pixels (in MATLAB's column-major image order, xx(:)) and one vector of
// `classes` node indices per label copy, a colour per node.
#include "mat5_sizes.hpp"

#include <pbit/data/io.hpp>
#include <pbit/dbm/model_file.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>

#include <matio.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace pbit::dbm {
namespace {

namespace fs = std::filesystem;

std::string fmt_double(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

// Largest matrix side and non-zero count read (the generators' own limits).
constexpr std::size_t kMaxSide = graphs::kMaxNodes;
constexpr std::size_t kMaxNonZeros = 2 * graphs::kMaxEdges;

// matio reports through a log callback; keep its last message for our error
// (per thread: the callback has no user pointer).
thread_local std::string t_matio_message;
void matio_log(int level, char* message) {
  if (level & (MATIO_LOG_LEVEL_ERROR | MATIO_LOG_LEVEL_CRITICAL)) t_matio_message = message ? message : "";
}
struct MatioLog {
  MatioLog() {
    t_matio_message.clear();
    Mat_LogInitFunc("pbit", matio_log);
  }
};

struct MatCloser {
  void operator()(mat_t* m) const { Mat_Close(m); }
};
struct VarFreer {
  void operator()(matvar_t* v) const { Mat_VarFree(v); }
};
using MatFile = std::unique_ptr<mat_t, MatCloser>;
using MatVar = std::unique_ptr<matvar_t, VarFreer>;

// "FILE:NAME" or "NAME" (in the default file).
struct VarRef {
  std::string file, name;
};
VarRef parse_ref(const std::string& ref, const std::string& default_file) {
  const auto colon = ref.rfind(':');
  if (colon == std::string::npos) {
    if (default_file.empty()) throw Error("variable '" + ref + "': no .mat file given (use FILE:NAME or --mat FILE)");
    return {default_file, ref};
  }
  return {ref.substr(0, colon), ref.substr(colon + 1)};
}

std::string describe(const VarRef& r) { return r.file + ":" + r.name; }

// Opens files once each.
class MatReader {
 public:
  matvar_t* info(const VarRef& r) {
    mat_t* f = open(r.file);
    MatioLog log;
    MatVar v(Mat_VarReadInfo(f, r.name.c_str()));
    if (!v) throw Error(describe(r) + ": no such variable in the file");
    check_shape(r, v.get());
    infos_.push_back(std::move(v));
    return infos_.back().get();
  }
  // The variable's data. Its header is read again from the file, so its shape
  // is checked again: a damaged file can answer differently the second time.
  MatVar read(const VarRef& r) {
    mat_t* f = open(r.file);
    MatioLog log;
    MatVar v(Mat_VarRead(f, r.name.c_str()));
    if (!v) throw Error(describe(r) + ": cannot read the variable" + (t_matio_message.empty() ? "" : " (" + t_matio_message + ")"));
    check_shape(r, v.get());
    return v;
  }

 private:
  static void check_shape(const VarRef& r, const matvar_t* v) {
    if (v->isComplex) throw Error(describe(r) + ": complex values are not couplings");
    if (v->rank != 2 || !v->dims)
      throw Error(describe(r) + ": a " + std::to_string(v->rank) + "-dimensional array, expected a matrix");
    if (v->dims[0] > kMaxSide || v->dims[1] > kMaxSide)
      throw Error(describe(r) + ": " + std::to_string(v->dims[0]) + " x " + std::to_string(v->dims[1]) +
                  " is larger than " + std::to_string(kMaxSide) + " nodes");
  }
  mat_t* open(const std::string& path) {
    for (auto& [p, f] : files_)
      if (p == path) return f.get();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(path + ": no such file");
    check_mat5_sizes(path);
    MatioLog log;
    MatFile f(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
    if (!f) throw Error(path + ": not a MATLAB .mat file" + (t_matio_message.empty() ? "" : " (" + t_matio_message + ")"));
    files_.emplace_back(path, std::move(f));
    return files_.back().second.get();
  }
  std::vector<std::pair<std::string, MatFile>> files_;
  std::vector<MatVar> infos_;
};

// A real numeric array as doubles (any numeric class), column-major.
std::vector<double> numeric(const matvar_t* v, const std::string& what) {
  const std::size_t count = v->dims[0] * v->dims[1];
  std::vector<double> out(count);
  auto copy = [&](auto tag) {
    using T = decltype(tag);
    if (v->data_size != sizeof(T) || v->nbytes < count * sizeof(T)) throw Error(what + ": inconsistent data size");
    const T* p = static_cast<const T*>(v->data);
    for (std::size_t k = 0; k < count; ++k) out[k] = static_cast<double>(p[k]);
  };
  if (count == 0) return out;
  if (!v->data) throw Error(what + ": no data");
  switch (v->class_type) {
    case MAT_C_DOUBLE: copy(double{}); break;
    case MAT_C_SINGLE: copy(float{}); break;
    case MAT_C_INT8: copy(std::int8_t{}); break;
    case MAT_C_UINT8: copy(std::uint8_t{}); break;
    case MAT_C_INT16: copy(std::int16_t{}); break;
    case MAT_C_UINT16: copy(std::uint16_t{}); break;
    case MAT_C_INT32: copy(std::int32_t{}); break;
    case MAT_C_UINT32: copy(std::uint32_t{}); break;
    case MAT_C_INT64: copy(std::int64_t{}); break;
    case MAT_C_UINT64: copy(std::uint64_t{}); break;
    default: throw Error(what + ": not a numeric array");
  }
  return out;
}

// A vector (1 x K or K x 1) of numbers.
std::vector<double> read_vector(MatReader& rd, const VarRef& r) {
  const matvar_t* info = rd.info(r);
  if (info->class_type == MAT_C_SPARSE) throw Error(describe(r) + ": a sparse matrix, expected a vector");
  if (info->dims[0] != 1 && info->dims[1] != 1 && info->dims[0] * info->dims[1] != 0)
    throw Error(describe(r) + ": " + std::to_string(info->dims[0]) + " x " + std::to_string(info->dims[1]) +
                ", expected a vector");
  const MatVar v = rd.read(r);
  return numeric(v.get(), describe(r));
}

// 1-based node indices -> labels (index - 1), checked.
std::vector<graphs::Label> node_indices(const std::vector<double>& v, std::size_t n, const std::string& what) {
  std::vector<graphs::Label> out;
  out.reserve(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double x = v[k];
    if (!std::isfinite(x) || x != std::floor(x) || x < 1 || x > static_cast<double>(n))
      throw Error(what + ": entry " + std::to_string(k + 1) + " is " + fmt_double(x) + ", not a node index in 1.." +
                  std::to_string(n));
    out.push_back(static_cast<graphs::Label>(x) - 1);
  }
  return out;
}

// The colour file of the published code: numbers separated by commas or
// white space (one per node), any line breaks.
std::vector<double> read_color_csv(const std::string& path) {
  const auto bytes = data::read_file(path);
  std::vector<double> out;
  std::string token;
  std::size_t line = 1;
  auto flush = [&] {
    if (token.empty()) return;
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v))
      throw Error(path + ":" + std::to_string(line) + ": '" + token.substr(0, 20) + "' is not a number");
    out.push_back(v);
    token.clear();
  };
  for (std::uint8_t c : bytes) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      flush();
      if (c == '\n') ++line;
    } else {
      if (token.size() > 64) throw Error(path + ":" + std::to_string(line) + ": token too long");
      token.push_back(static_cast<char>(c));
    }
  }
  flush();
  return out;
}

}  // namespace

std::vector<std::string> default_label_names(int copies) {
  std::vector<std::string> v;
  for (int c = 1; c <= copies; ++c) v.push_back("index_sticker" + std::to_string(c));
  return v;
}

ModelFile read_model_mat(const MatNames& names) {
  MatReader rd;
  ModelFile m;
  m.rows = names.rows;
  m.cols = names.cols;
  if (m.rows < 1 || m.cols < 1 || m.rows > 4096 || m.cols > 4096) throw Error("the image size must be 1..4096 per side");

  // Couplings.
  const VarRef jr = parse_ref(names.J, names.file);
  const matvar_t* ji = rd.info(jr);
  if (ji->dims[0] != ji->dims[1])
    throw Error(describe(jr) + ": " + std::to_string(ji->dims[0]) + " x " + std::to_string(ji->dims[1]) +
                ", expected a square coupling matrix");
  const std::size_t n = ji->dims[0];
  if (n == 0) throw Error(describe(jr) + ": an empty matrix");
  std::vector<std::tuple<std::size_t, std::size_t, double>> entries;  // (row, col, value), 0-based
  if (ji->class_type != MAT_C_SPARSE && n * n > kMaxNonZeros * 64)  // before libmatio allocates it
    throw Error(describe(jr) + ": a dense matrix this large is not supported; save it sparse");
  {
    const MatVar jv = rd.read(jr);
    if (jv->dims[0] != n || jv->dims[1] != n)
      throw Error(describe(jr) + ": the variable's header changed between reads (damaged file)");
    if (jv->class_type == MAT_C_SPARSE) {
      const auto* sp = static_cast<const mat_sparse_t*>(jv->data);
      if (!sp || sp->njc != n + 1 || sp->ndata > kMaxNonZeros || sp->nir < sp->ndata || !sp->jc ||
          (sp->ndata && (!sp->ir || !sp->data)))
        throw Error(describe(jr) + ": malformed sparse matrix");
      if (jv->data_type != MAT_T_DOUBLE) throw Error(describe(jr) + ": sparse values must be double");
      const auto* val = static_cast<const double*>(sp->data);
      for (std::size_t c = 0; c < n; ++c) {
        if (sp->jc[c] > sp->jc[c + 1] || sp->jc[c + 1] > sp->ndata) throw Error(describe(jr) + ": malformed sparse matrix");
        for (std::size_t k = sp->jc[c]; k < sp->jc[c + 1]; ++k) {
          if (sp->ir[k] >= n) throw Error(describe(jr) + ": malformed sparse matrix (row index out of range)");
          entries.emplace_back(sp->ir[k], c, val[k]);
        }
      }
    } else {
      if (n * n > kMaxNonZeros * 64) throw Error(describe(jr) + ": a dense matrix this large is not supported; save it sparse");
      const std::vector<double> dense = numeric(jv.get(), describe(jr));
      for (std::size_t c = 0; c < n; ++c)
        for (std::size_t r = 0; r < n; ++r)
          if (dense[c * n + r] != 0 || std::isnan(dense[c * n + r])) entries.emplace_back(r, c, dense[c * n + r]);
    }
  }
  // Symmetric, zero diagonal, finite: each pair once, from the upper triangle,
  // checked against its mirror.
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  auto value_at = [&](std::size_t r, std::size_t c) {
    const auto it = std::lower_bound(entries.begin(), entries.end(), std::make_tuple(r, c, 0.0),
                                     [](const auto& a, const auto& b) {
                                       return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
                                     });
    return it != entries.end() && std::get<0>(*it) == r && std::get<1>(*it) == c ? std::get<2>(*it) : 0.0;
  };
  for (const auto& [r, c, v] : entries) {
    const std::string at = describe(jr) + "(" + std::to_string(r + 1) + "," + std::to_string(c + 1) + ")";
    if (!std::isfinite(v)) throw Error(at + " is not finite");
    if (r == c) {
      if (v != 0) throw Error(at + " = " + fmt_double(v) + ": the diagonal must be zero (no self-couplings)");
      continue;
    }
    const double mirror = value_at(c, r);
    if (mirror != v)
      throw Error(describe(jr) + " is not symmetric: (" + std::to_string(r + 1) + "," + std::to_string(c + 1) + ") = " +
                  fmt_double(v) + " but (" + std::to_string(c + 1) + "," + std::to_string(r + 1) + ") = " +
                  fmt_double(mirror));
    if (r < c && v != 0) m.couplings.emplace_back(static_cast<graphs::Label>(r), static_cast<graphs::Label>(c), v);
  }

  // Nodes: MATLAB's 1..N, either labels 0..N-1 of a file: graph or the compact
  // indices of a given graph.
  std::vector<graphs::Label> label_of(n);
  if (names.graph.empty()) {
    m.graph = "file:" + fs::path(jr.file).filename().string();
    for (std::size_t i = 0; i < n; ++i) label_of[i] = static_cast<graphs::Label>(i);
  } else {
    const graphs::Graph g = graphs::make_graph(names.graph);
    if (g.num_nodes() != n)
      throw Error(describe(jr) + " is " + std::to_string(n) + " x " + std::to_string(n) + ", but " + g.spec() + " has " +
                  std::to_string(g.num_nodes()) + " nodes");
    m.graph = g.spec();
    label_of = g.labels();
    for (auto& [u, v, j] : m.couplings) {
      u = label_of[static_cast<std::size_t>(u)];
      v = label_of[static_cast<std::size_t>(v)];
    }
    // With a generator's graph every edge is a coupling (0 where not given).
  }
  m.nodes = label_of;

  // Fields.
  const VarRef hr = parse_ref(names.h, names.file);
  m.h = read_vector(rd, hr);
  if (m.h.size() != n)
    throw Error(describe(hr) + ": " + std::to_string(m.h.size()) + " fields for the " + std::to_string(n) + " nodes of " +
                describe(jr));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(m.h[i])) throw Error(describe(hr) + "(" + std::to_string(i + 1) + ") is not finite");

  // Pixels: entry k of the vector is pixel (k mod rows, k div rows) in
  // MATLAB's column-major order, or (k div cols, k mod cols) row-major.
  const VarRef pr = parse_ref(names.pixels, names.file);
  const auto pix = node_indices(read_vector(rd, pr), n, describe(pr));
  const std::size_t npix = static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols);
  if (pix.size() != npix)
    throw Error(describe(pr) + ": " + std::to_string(pix.size()) + " pixel nodes for a " + std::to_string(m.rows) + " x " +
                std::to_string(m.cols) + " image");
  m.pixels.assign(npix, 0);
  for (std::size_t k = 0; k < npix; ++k) {
    const std::size_t rows = static_cast<std::size_t>(m.rows), cols = static_cast<std::size_t>(m.cols);
    const std::size_t p = names.row_major_pixels ? k : (k % rows) * cols + k / rows;
    m.pixels[p] = label_of[static_cast<std::size_t>(pix[k])];
  }

  // Label copies: vector c holds class k's node at position k.
  const std::vector<std::string> label_vars = names.labels.empty() ? default_label_names(5) : names.labels;
  m.label_copies = static_cast<int>(label_vars.size());
  std::vector<std::vector<graphs::Label>> copies;
  for (const auto& name : label_vars) {
    const VarRef lr = parse_ref(name, names.file);
    copies.push_back(node_indices(read_vector(rd, lr), n, describe(lr)));
    if (copies.back().size() != copies.front().size())
      throw Error(describe(lr) + ": " + std::to_string(copies.back().size()) + " entries, the first label copy has " +
                  std::to_string(copies.front().size()));
  }
  m.classes = static_cast<int>(copies.front().size());
  if (m.classes < 2) throw Error("a label copy must name at least 2 class nodes");
  m.labels.assign(static_cast<std::size_t>(m.classes) * copies.size(), 0);
  for (std::size_t c = 0; c < copies.size(); ++c)
    for (std::size_t k = 0; k < copies[c].size(); ++k)
      m.labels[k * copies.size() + c] = label_of[static_cast<std::size_t>(copies[c][k])];

  // Colours (1-based in the published files; any integers accepted, checked proper on import).
  if (!names.colors.empty()) {
    std::vector<double> col;
    if (fs::path(names.colors).extension() == ".csv") {
      col = read_color_csv(names.colors);
    } else {
      col = read_vector(rd, parse_ref(names.colors, names.file));
    }
    if (col.size() != n)
      throw Error(names.colors + ": " + std::to_string(col.size()) + " colours for " + std::to_string(n) + " nodes");
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(col[i]) || col[i] != std::floor(col[i]) || col[i] < 0 || col[i] > 1e6)
        throw Error(names.colors + ": colour " + std::to_string(i + 1) + " is " + fmt_double(col[i]) +
                    ", not a small non-negative integer");
      m.colors.push_back(static_cast<int>(col[i]));
    }
  }
  if (!names.beta.empty()) {
    const VarRef br = parse_ref(names.beta, names.file);
    const auto b = read_vector(rd, br);
    if (b.size() != 1) throw Error(describe(br) + ": expected a scalar");
    m.beta = b[0];
  }
  return m;
}

void write_model_mat(const ModelFile& m, const MatNames& names) {
  if (names.file.empty()) throw Error("no .mat file to write");
  const std::size_t n = m.nodes.size();
  std::vector<graphs::Label> sorted = m.nodes;
  std::sort(sorted.begin(), sorted.end());
  auto index = [&](graphs::Label l) {
    return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), l) - sorted.begin());
  };
  for (const auto& name : {names.J, names.h, names.pixels, names.colors, names.beta})
    if (name.find(':') != std::string::npos) throw Error("variable '" + name + "': FILE:NAME is for reading only");

  // Both triangles, column-major (CSC) order.
  std::vector<std::tuple<std::size_t, std::size_t, double>> entries;  // (col, row, value)
  for (const auto& [u, v, j] : m.couplings) {
    if (j == 0) continue;
    entries.emplace_back(index(v), index(u), j);
    entries.emplace_back(index(u), index(v), j);
  }
  std::sort(entries.begin(), entries.end());
  std::vector<mat_uint32_t> ir, jc(n + 1, 0);
  std::vector<double> val;
  for (const auto& [c, r, v] : entries) {
    ir.push_back(static_cast<mat_uint32_t>(r));
    val.push_back(v);
    ++jc[c + 1];
  }
  for (std::size_t c = 0; c < n; ++c) jc[c + 1] += jc[c];
  mat_sparse_t sparse{};
  sparse.nzmax = static_cast<mat_uint32_t>(val.size());
  sparse.nir = static_cast<mat_uint32_t>(ir.size());
  sparse.ir = ir.data();
  sparse.njc = static_cast<mat_uint32_t>(jc.size());
  sparse.jc = jc.data();
  sparse.ndata = static_cast<mat_uint32_t>(val.size());
  sparse.data = val.data();

  std::vector<double> h(n);
  for (std::size_t i = 0; i < n; ++i) h[index(m.nodes[i])] = m.h[i];
  const std::size_t rows = static_cast<std::size_t>(m.rows), cols = static_cast<std::size_t>(m.cols);
  std::vector<double> pixels(m.pixels.size());
  for (std::size_t k = 0; k < pixels.size(); ++k) {
    const std::size_t p = names.row_major_pixels ? k : (k % rows) * cols + k / rows;
    pixels[k] = static_cast<double>(index(m.pixels[p]) + 1);
  }
  const std::size_t copies = static_cast<std::size_t>(m.label_copies);
  std::vector<std::string> label_names = names.labels.empty() ? default_label_names(m.label_copies) : names.labels;
  if (m.classes > 0 && label_names.size() != copies)
    throw Error(std::to_string(label_names.size()) + " label variable names for " + std::to_string(copies) + " copies");
  std::vector<double> colors(m.colors.empty() ? 0 : n);
  for (std::size_t i = 0; i < m.colors.size(); ++i) colors[index(m.nodes[i])] = m.colors[i] + 1;

  // Only a new path or a regular file is replaced.
  std::error_code ec;
  const auto st = fs::symlink_status(names.file, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw Error(names.file + ": exists and is not a regular file; not replacing it");

  // Written to a temporary file in the same directory, then renamed over the
  // target (an interrupted export leaves the old file).
  const std::string tmp = names.file + ".tmp-" + std::to_string(::getpid());
  try {
    {
      MatioLog log;
      MatFile f(Mat_CreateVer(tmp.c_str(), "pbit model (MATLAB 5.0 MAT-file)", MAT_FT_MAT5));
      if (!f) throw Error(tmp + ": cannot create" + (t_matio_message.empty() ? "" : " (" + t_matio_message + ")"));
      auto write = [&](matvar_t* raw, const std::string& name) {
        MatVar v(raw);
        if (!v || Mat_VarWrite(f.get(), v.get(), MAT_COMPRESSION_ZLIB) != 0)
          throw Error(names.file + ": cannot write variable " + name);
      };
      auto vec = [&](const std::string& name, std::vector<double>& data) {
        std::size_t dims[2] = {1, data.size()};
        write(Mat_VarCreate(name.c_str(), MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, data.data(), MAT_F_DONT_COPY_DATA), name);
      };
      {
        std::size_t dims[2] = {n, n};
        write(Mat_VarCreate(names.J.c_str(), MAT_C_SPARSE, MAT_T_DOUBLE, 2, dims, &sparse, MAT_F_DONT_COPY_DATA), names.J);
      }
      vec(names.h, h);
      vec(names.pixels, pixels);
      for (std::size_t c = 0; c < copies && m.classes > 0; ++c) {
        std::vector<double> idx(static_cast<std::size_t>(m.classes));
        for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = static_cast<double>(index(m.labels[k * copies + c]) + 1);
        vec(label_names[c], idx);
      }
      if (!names.colors.empty() && !colors.empty()) vec(names.colors, colors);
      if (!names.beta.empty()) {
        std::vector<double> b{m.beta};
        vec(names.beta, b);
      }
    }
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, names.file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(names.file + ": cannot write: " + ec.message());
  }
}

}  // namespace pbit::dbm
