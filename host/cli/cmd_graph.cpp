// pbit graph info|export|color SPEC
#include "cli.hpp"

#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/coordinates.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

namespace pbit::cli {
namespace {

struct GraphArgs {
  std::string spec;
  bool json = false;
  std::string format = "edges";
};

int run_info(const GraphArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto g = load_graph(a.spec);
  const auto col = graphs::best_coloring(*g);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::map<std::uint32_t, std::size_t> hist;
  std::uint32_t dmin = g->num_nodes() ? ~0u : 0, dmax = 0;
  for (std::uint32_t i = 0; i < g->num_nodes(); ++i) {
    const auto d = g->degree(i);
    ++hist[d];
    dmin = std::min(dmin, d);
    dmax = std::max(dmax, d);
  }
  const double mean = g->num_nodes() ? 2.0 * g->num_edges() / g->num_nodes() : 0.0;
  if (a.json) {
    nlohmann::json h = nlohmann::json::object();
    for (auto [d, c] : hist) h[std::to_string(d)] = c;
    print_json({{"graph", g->spec()},
                {"family", graphs::family_name(g->family())},
                {"nodes", g->num_nodes()},
                {"edges", g->num_edges()},
                {"min_degree", dmin},
                {"max_degree", dmax},
                {"mean_degree", mean},
                {"degree_histogram", h},
                {"colors", col.num_colors},
                {"coloring_method", col.method},
                {"min_label", g->num_nodes() ? g->labels().front() : 0},
                {"max_label", g->num_nodes() ? g->labels().back() : 0},
                {"seconds", secs}});
    return 0;
  }
  fmt::print("graph            {}\n", g->spec());
  fmt::print("family           {}\n", graphs::family_name(g->family()));
  fmt::print("nodes            {}\n", g->num_nodes());
  fmt::print("edges            {}\n", g->num_edges());
  fmt::print("degree           min {}  max {}  mean {:.3f}\n", dmin, dmax, mean);
  fmt::print("labels           {} .. {}\n", g->num_nodes() ? g->labels().front() : 0,
             g->num_nodes() ? g->labels().back() : 0);
  fmt::print("colours          {} ({})\n", col.num_colors, col.method);
  fmt::print("build+colour     {:.1f} ms\n", secs * 1e3);
  fmt::print("degree histogram\n");
  for (auto [d, c] : hist) fmt::print("  {:>3}  {}\n", d, c);
  return 0;
}

int run_export(const GraphArgs& a) {
  const auto g = load_graph(a.spec);
  if (a.format == "edges") {
    std::string out;
    out.reserve(g->num_edges() * 12);
    for (const auto& e : g->edges())
      out += fmt::format("{} {}\n", g->label(e.u), g->label(e.v));
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else if (a.format == "nodes") {
    std::string out;
    for (auto l : g->labels()) out += fmt::format("{}\n", l);
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else if (a.format == "json") {
    const auto col = graphs::best_coloring(*g);
    nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array(),
                   coords = nlohmann::json::object(), colors = nlohmann::json::object();
    for (std::uint32_t i = 0; i < g->num_nodes(); ++i) {
      nodes.push_back(g->label(i));
      colors[std::to_string(g->label(i))] = col.color[i];
      if (auto c = graphs::coordinates(*g, i)) coords[std::to_string(g->label(i))] = *c;
    }
    for (const auto& e : g->edges()) edges.push_back({g->label(e.u), g->label(e.v)});
    nlohmann::json doc = {{"graph", g->spec()},
                          {"family", graphs::family_name(g->family())},
                          {"params", g->params()},
                          {"num_nodes", g->num_nodes()},
                          {"num_edges", g->num_edges()},
                          {"nodes", nodes},
                          {"edges", edges},
                          {"num_colors", col.num_colors},
                          {"coloring_method", col.method},
                          {"colors", colors}};
    if (!coords.empty()) {
      static const std::map<graphs::Family, const char*> kCoordNames = {
          {graphs::Family::Chimera, "i,j,u,k"},
          {graphs::Family::Pegasus, "u,w,k,z"},
          {graphs::Family::Zephyr, "u,w,k,j,z"}};
      doc["coordinate_system"] = kCoordNames.at(g->family());
      doc["coordinates"] = coords;
    }
    print_json(doc);
  } else {
    throw Error("unknown export format '" + a.format + "' (known: edges, nodes, json)");
  }
  return 0;
}

int run_color(const GraphArgs& a) {
  const auto g = load_graph(a.spec);
  const auto col = graphs::best_coloring(*g);
  if (a.json) {
    nlohmann::json colors = nlohmann::json::object();
    for (std::uint32_t i = 0; i < g->num_nodes(); ++i) colors[std::to_string(g->label(i))] = col.color[i];
    print_json({{"graph", g->spec()},
                {"num_colors", col.num_colors},
                {"method", col.method},
                {"colors", colors}});
    return 0;
  }
  std::string out;
  for (std::uint32_t i = 0; i < g->num_nodes(); ++i)
    out += fmt::format("{} {}\n", g->label(i), col.color[i]);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

Command add_graph_command(CLI::App& app) {
  auto* graph = app.add_subcommand("graph", "Build, inspect and export sparse graphs");
  graph->require_subcommand(1);
  graph->footer(
      "Graph specs: chimera:M[,N[,T]]  pegasus:M  zephyr:M[,T]  lattice:LxW[,periodic]\n"
      "             king:LxW[,periodic]  regular:N,D,SEED  er:N,P,SEED  file:PATH\n"
      "Node labels are dwave-networkx's default linear labels.");
  auto args = std::make_shared<GraphArgs>();
  auto* info = graph->add_subcommand("info", "Nodes, edges, degrees and colours of a graph");
  info->add_option("SPEC", args->spec, "graph spec, e.g. pegasus:14")->required();
  info->add_flag("--json", args->json, "print one JSON document on stdout");
  auto* exp = graph->add_subcommand("export", "Print the canonical edge list, node list or JSON");
  exp->add_option("SPEC", args->spec, "graph spec")->required();
  exp->add_option("--format", args->format, "edges | nodes | json")
      ->capture_default_str()
      ->check(CLI::IsMember({"edges", "nodes", "json"}));
  auto* color = graph->add_subcommand("color", "Print a proper colouring: 'label colour' lines");
  color->add_option("SPEC", args->spec, "graph spec")->required();
  color->add_flag("--json", args->json, "print one JSON document on stdout");
  return {graph, [=] {
            if (info->parsed()) return run_info(*args);
            if (exp->parsed()) return run_export(*args);
            return run_color(*args);
          }};
}

}  // namespace pbit::cli
