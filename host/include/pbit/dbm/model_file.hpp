#pragma once
// Model files: a DBM (trained here or elsewhere) in open formats, so that
// models move between this project, MATLAB and Python.
//
// Two formats, one content (ModelFile):
//  - JSON ("pbit-model" version 1, README "Model files"): any tool can write it;
//  - MATLAB .mat (v5, written and read with libmatio; v7.3 read where matio
//    was built with HDF5): the layout of the published p-bit DBM code, with
//    the variable names chosen by the user (MatNames).
// Importing gives a Checkpoint (no optimizer state, no chains) that every
// command taking --model uses like a trained one.
#include <pbit/dbm/trainer.hpp>
#include <pbit/graphs/graph.hpp>
#include <pbit/spec.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace pbit::dbm {

struct ModelFile {
  // Graph: a generator spec ("pegasus:14"), or "file:NAME" for a graph given
  // by its nodes and edges only (an imported coupling pattern).
  std::string graph;
  std::vector<graphs::Label> nodes;  // every node, any order
  std::vector<double> h;             // field per node (nodes order)
  std::vector<std::tuple<graphs::Label, graphs::Label, double>> couplings;  // J per edge
  std::vector<int> colors;           // optional: a colour per node (nodes order), checked on import
  int rows = 28, cols = 28, classes = 10, label_copies = 5;
  std::vector<graphs::Label> pixels;  // node of pixel p, p = row * cols + col
  std::vector<graphs::Label> labels;  // node of label bit class * label_copies + copy
  double beta = 1.0;
  std::optional<NumericSpec> spec;   // none: the importer's choice
  std::string method;                // "boltzmann" | "hybrid" | "" (unknown)
  std::string data;                  // the training data in words
  std::string dataset;               // the dataset spec to evaluate on ("mnist", ...)
  int epochs = 0;                    // epochs trained (0 = unknown)
};

// The spec of an imported model whose file gives none (`pbit model import`,
// the Python module): wider than the hardware default, since weights trained
// in double precision need more than 6 bits.
NumericSpec import_default_spec();

// The model of a checkpoint, and back. checkpoint_from validates everything
// (graph and node sets, each coupling on an edge and given once, finite
// values, placement indices distinct and in range, colouring proper) and
// throws pbit::Error naming the first problem.
ModelFile model_file_from(const Checkpoint& ck);
Checkpoint checkpoint_from(const ModelFile& m, const NumericSpec& default_spec);

void write_model_json(const std::string& path, const ModelFile& m);
ModelFile read_model_json(const std::string& path);

// A MATLAB variable: "NAME" in the default file, or "FILE:NAME".
struct MatNames {
  std::string file;                  // the default .mat file
  std::string J = "J";               // N x N symmetric couplings, sparse or dense, zero diagonal
  std::string h = "h";               // 1 x N (or N x 1) fields
  std::string pixels = "index_visible";  // rows*cols node indices, 1-based, column-major pixel order (MATLAB xx(:))
  std::vector<std::string> labels;   // one variable per label copy: `classes` node indices (1-based) each
  std::string colors;                // "" = none; a variable (1 x N colours) or a .csv file
  std::string beta;                  // "" = none (1, or --beta); a scalar variable
  bool row_major_pixels = false;     // pixel vector in row-major order instead
  int rows = 28, cols = 28;
  // "" : the graph is the coupling pattern (a file: graph, node n has label n - 1);
  // a spec (e.g. "pegasus:14"): MATLAB node n is that graph's node of compact
  // index n - 1 (ascending label), and every coupling must be one of its edges.
  std::string graph;
};
// Default label variable names: index_sticker1 .. index_sticker<copies>.
std::vector<std::string> default_label_names(int copies);

ModelFile read_model_mat(const MatNames& names);
// Writes every variable into names.file (FILE: prefixes are not allowed here):
// J sparse N x N (both triangles), h 1 x N, pixels and label copies 1-based,
// colours 1-based (1 x N), beta scalar. Node n of MATLAB is the model's
// compact node index n - 1 (ascending node label).
void write_model_mat(const ModelFile& m, const MatNames& names);

}  // namespace pbit::dbm
