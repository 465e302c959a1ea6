// Images, PNG I/O (libpng simplified API), grids, drawing, bitmap text; see pbit/image.hpp.
#include <pbit/data/io.hpp>
#include <pbit/error.hpp>
#include <pbit/image.hpp>

#include <png.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace pbit {
namespace {

// The built-in font: printable ASCII 32..126, 5 columns x up to 9 rows per
// glyph ('#' ink, '.' paper), rows separated by one space; missing rows are
// blank. Rows 0-6 are the cap height (row 6 the baseline), rows 7-8 descenders;
// lower case has x-height 5 (rows 2-6). Drawn for this project.
const char* const kFont[95] = {
    "",                                                       // space
    "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",              // !
    ".#.#. .#.#. .#.#.",                                      // "
    ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",              // #
    "..#.. .#### #.#.. .###. ..#.# ####. ..#..",              // $
    "##... ##..# ...#. ..#.. .#... #..## ...##",              // %
    ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",              // &
    "..#.. ..#.. .#...",                                      // '
    "...#. ..#.. .#... .#... .#... ..#.. ...#.",              // (
    ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",              // )
    "..... ..#.. #.#.# .###. #.#.# ..#.. .....",              // *
    "..... ..#.. ..#.. ##### ..#.. ..#.. .....",              // +
    "..... ..... ..... ..... ..... .##.. ..#.. .#...",        // ,
    "..... ..... ..... .#### ..... ..... .....",              // -
    "..... ..... ..... ..... ..... .##.. .##..",              // .
    "....# ....# ...#. ..#.. .#... #.... #....",              // /
    ".###. #...# #...# #...# #...# #...# .###.",              // 0
    "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",              // 1
    ".###. #...# ....# ...#. ..#.. .#... #####",              // 2
    "####. ....# ....# .###. ....# ....# ####.",              // 3
    "...#. ..##. .#.#. #..#. ##### ...#. ...#.",              // 4
    "##### #.... ####. ....# ....# #...# .###.",              // 5
    "..##. .#... #.... ####. #...# #...# .###.",              // 6
    "##### ....# ...#. ..#.. .#... .#... .#...",              // 7
    ".###. #...# #...# .###. #...# #...# .###.",              // 8
    ".###. #...# #...# .#### ....# ...#. .##..",              // 9
    "..... .##.. .##.. ..... .##.. .##.. .....",              // :
    "..... .##.. .##.. ..... .##.. ..#.. .#...",              // ;
    "...#. ..#.. .#... #.... .#... ..#.. ...#.",              // <
    "..... ..... ##### ..... ##### ..... .....",              // =
    ".#... ..#.. ...#. ....# ...#. ..#.. .#...",              // >
    ".###. #...# ....# ...#. ..#.. ..... ..#..",              // ?
    ".###. #...# ....# .##.# #.#.# #.#.# .###.",              // @
    ".###. #...# #...# ##### #...# #...# #...#",              // A
    "####. #...# #...# ####. #...# #...# ####.",              // B
    ".###. #...# #.... #.... #.... #...# .###.",              // C
    "###.. #..#. #...# #...# #...# #..#. ###..",              // D
    "##### #.... #.... ####. #.... #.... #####",              // E
    "##### #.... #.... ####. #.... #.... #....",              // F
    ".###. #...# #.... #.### #...# #...# .####",              // G
    "#...# #...# #...# ##### #...# #...# #...#",              // H
    ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",              // I
    "..### ...#. ...#. ...#. ...#. #..#. .##..",              // J
    "#...# #..#. #.#.. ##... #.#.. #..#. #...#",              // K
    "#.... #.... #.... #.... #.... #.... #####",              // L
    "#...# ##.## #.#.# #.#.# #...# #...# #...#",              // M
    "#...# #...# ##..# #.#.# #..## #...# #...#",              // N
    ".###. #...# #...# #...# #...# #...# .###.",              // O
    "####. #...# #...# ####. #.... #.... #....",              // P
    ".###. #...# #...# #...# #.#.# #..#. .##.#",              // Q
    "####. #...# #...# ####. #.#.. #..#. #...#",              // R
    ".#### #.... #.... .###. ....# ....# ####.",              // S
    "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",              // T
    "#...# #...# #...# #...# #...# #...# .###.",              // U
    "#...# #...# #...# #...# #...# .#.#. ..#..",              // V
    "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",              // W
    "#...# #...# .#.#. ..#.. .#.#. #...# #...#",              // X
    "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",              // Y
    "##### ....# ...#. ..#.. .#... #.... #####",              // Z
    ".###. .#... .#... .#... .#... .#... .###.",              // [
    "#.... #.... .#... ..#.. ...#. ....# ....#",              // backslash
    ".###. ...#. ...#. ...#. ...#. ...#. .###.",              // ]
    "..#.. .#.#. #...#",                                      // ^
    "..... ..... ..... ..... ..... ..... ..... #####",        // _
    ".#... ..#.. ...#.",                                      // `
    "..... ..... .###. ....# .#### #...# .####",              // a
    "#.... #.... ####. #...# #...# #...# ####.",              // b
    "..... ..... .###. #.... #.... #...# .###.",              // c
    "....# ....# .#### #...# #...# #...# .####",              // d
    "..... ..... .###. #...# ##### #.... .###.",              // e
    "..##. .#..# .#... ###.. .#... .#... .#...",              // f
    "..... ..... .#### #...# #...# #...# .#### ....# .###.",  // g
    "#.... #.... #.##. ##..# #...# #...# #...#",              // h
    "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",              // i
    "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",  // j
    "#.... #.... #..#. #.#.. ##... #.#.. #..#.",              // k
    ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",              // l
    "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#",              // m
    "..... ..... #.##. ##..# #...# #...# #...#",              // n
    "..... ..... .###. #...# #...# #...# .###.",              // o
    "..... ..... ####. #...# #...# #...# ####. #.... #....",  // p
    "..... ..... .#### #...# #...# #...# .#### ....# ....#",  // q
    "..... ..... #.##. ##..# #.... #.... #....",              // r
    "..... ..... .#### #.... .###. ....# ####.",              // s
    ".#... .#... ###.. .#... .#... .#..# ..##.",              // t
    "..... ..... #...# #...# #...# #..## .##.#",              // u
    "..... ..... #...# #...# #...# .#.#. ..#..",              // v
    "..... ..... #...# #...# #.#.# #.#.# .#.#.",              // w
    "..... ..... #...# .#.#. ..#.. .#.#. #...#",              // x
    "..... ..... #...# #...# #...# #...# .#### ....# .###.",  // y
    "..... ..... ##### ...#. ..#.. .#... #####",              // z
    "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",              // {
    "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",              // |
    ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",              // }
    "..... ..... .#... #.#.# ...#. ..... .....",              // ~
};

bool glyph_on(char ch, int col, int row) {
  const unsigned code = static_cast<unsigned char>(ch);
  const char* art = kFont[(code >= 32 && code <= 126 ? code : unsigned('?')) - 32];
  const std::size_t at = std::size_t(row) * 6 + std::size_t(col);
  const std::size_t len = std::char_traits<char>::length(art);
  return at < len && art[at] == '#';
}

// Row labels: cap height about a quarter of the tile, at least 1x, at most 4x.
int grid_text_scale(int tile_h) {
  return std::clamp(tile_h / 28, 1, 4);
}

std::string dims(int w, int h) {
  return std::to_string(w) + "x" + std::to_string(h);
}

template <class T>
Image probability_image_impl(const T* p, int width, int height) {
  Image img(width, height, 1);
  const std::size_t n = std::size_t(width) * std::size_t(height);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(p[i]);
    if (!(v >= 0.0 && v <= 1.0))
      throw Error("probability_image: value " + std::to_string(v) + " at pixel " +
                  std::to_string(i) + " is not in [0,1]");
    img.bytes()[i] = static_cast<std::uint8_t>(std::lround(v * 255.0));
  }
  return img;
}

template <class T>
Image probability_grid_impl(const std::vector<T>& p, int tile_w, int tile_h,
                            const GridOptions& opt) {
  if (tile_w <= 0 || tile_h <= 0) throw Error("image grid: bad tile size " + dims(tile_w, tile_h));
  const std::size_t per = std::size_t(tile_w) * std::size_t(tile_h);
  if (p.size() % per != 0)
    throw Error("image grid: " + std::to_string(p.size()) + " probabilities is not a multiple of " +
                dims(tile_w, tile_h));
  std::vector<Image> tiles;
  tiles.reserve(p.size() / per);
  for (std::size_t k = 0; k < p.size() / per; ++k)
    tiles.push_back(probability_image_impl(p.data() + k * per, tile_w, tile_h));
  return image_grid(tiles, opt);
}

Image stack(const std::vector<Image>& images, int gap, Rgb background, bool vertical) {
  if (images.empty()) throw Error("stack: no images");
  int channels = 1, along = 0, across = 0;
  for (const Image& im : images) {
    if (im.channels() == 3) channels = 3;
    along += vertical ? im.height() : im.width();
    across = std::max(across, vertical ? im.width() : im.height());
  }
  along += gap * (static_cast<int>(images.size()) - 1);
  Image out = vertical ? Image(across, along, channels) : Image(along, across, channels);
  out.fill_rect(0, 0, out.width(), out.height(), background);
  int pos = 0;
  for (const Image& im : images) {
    const Image src = channels == 3 ? to_rgb(im) : im;
    if (vertical) {
      out.paste(src, (across - src.width()) / 2, pos);
      pos += src.height() + gap;
    } else {
      out.paste(src, pos, (across - src.height()) / 2);
      pos += src.width() + gap;
    }
  }
  return out;
}

}  // namespace

std::uint8_t luma(Rgb c) {
  return static_cast<std::uint8_t>((299 * c.r + 587 * c.g + 114 * c.b + 500) / 1000);
}

Image::Image(int width, int height, int channels, std::uint8_t fill)
    : width_(width), height_(height), channels_(channels) {
  if (width <= 0 || height <= 0 || width > (1 << 16) || height > (1 << 16))
    throw Error("image: bad size " + dims(width, height));
  if (channels != 1 && channels != 3)
    throw Error("image: " + std::to_string(channels) + " channels (1 or 3 supported)");
  data_.assign(std::size_t(width) * std::size_t(height) * std::size_t(channels), fill);
}

Image Image::rgb(int width, int height, Rgb fill) {
  Image img(width, height, 3);
  img.fill_rect(0, 0, width, height, fill);
  return img;
}

Rgb Image::pixel(int x, int y) const {
  if (channels_ == 1) {
    const std::uint8_t g = at(x, y);
    return {g, g, g};
  }
  return {at(x, y, 0), at(x, y, 1), at(x, y, 2)};
}

void Image::set(int x, int y, Rgb c) {
  if (!contains(x, y)) return;
  if (channels_ == 1) {
    at(x, y) = luma(c);
  } else {
    at(x, y, 0) = c.r;
    at(x, y, 1) = c.g;
    at(x, y, 2) = c.b;
  }
}

void Image::blend(int x, int y, Rgb c, double alpha) {
  if (!contains(x, y) || !(alpha > 0.0)) return;
  if (alpha >= 1.0) return set(x, y, c);
  auto mix = [alpha](std::uint8_t under, std::uint8_t over) {
    return static_cast<std::uint8_t>(std::lround(under + (over - under) * alpha));
  };
  if (channels_ == 1) {
    at(x, y) = mix(at(x, y), luma(c));
  } else {
    at(x, y, 0) = mix(at(x, y, 0), c.r);
    at(x, y, 1) = mix(at(x, y, 1), c.g);
    at(x, y, 2) = mix(at(x, y, 2), c.b);
  }
}

void Image::fill_rect(int x, int y, int w, int h, Rgb c) {
  const int x0 = std::max(x, 0), y0 = std::max(y, 0);
  const int x1 = std::min(x + w, width_), y1 = std::min(y + h, height_);
  for (int yy = y0; yy < y1; ++yy)
    for (int xx = x0; xx < x1; ++xx) set(xx, yy, c);
}

void Image::paste(const Image& src, int x, int y) {
  if (src.channels() != channels_)
    throw Error("image paste: " + std::to_string(src.channels()) + " channels into " +
                std::to_string(channels_));
  const int x0 = std::max(x, 0), y0 = std::max(y, 0);
  const int x1 = std::min(x + src.width(), width_), y1 = std::min(y + src.height(), height_);
  if (x0 >= x1) return;
  for (int yy = y0; yy < y1; ++yy)
    std::copy_n(src.data_.data() + src.index(x0 - x, yy - y, 0),
                std::size_t(x1 - x0) * std::size_t(channels_), data_.data() + index(x0, yy, 0));
}

Image to_rgb(const Image& img) {
  if (img.channels() == 3 || img.empty()) return img;
  Image out(img.width(), img.height(), 3);
  for (std::size_t i = 0; i < img.bytes().size(); ++i)
    out.bytes()[3 * i] = out.bytes()[3 * i + 1] = out.bytes()[3 * i + 2] = img.bytes()[i];
  return out;
}

// ---- PNG ----

std::vector<std::uint8_t> encode_png(const Image& img) {
  if (img.empty()) throw Error("PNG: empty image");
  png_image pi{};
  pi.version = PNG_IMAGE_VERSION;
  pi.width = static_cast<png_uint_32>(img.width());
  pi.height = static_cast<png_uint_32>(img.height());
  pi.format = img.channels() == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&pi, nullptr, &size, 0, img.bytes().data(), 0, nullptr))
    throw Error(std::string("PNG encoding failed: ") + pi.message);
  std::vector<std::uint8_t> out(size);
  if (!png_image_write_to_memory(&pi, out.data(), &size, 0, img.bytes().data(), 0, nullptr))
    throw Error(std::string("PNG encoding failed: ") + pi.message);
  out.resize(size);
  return out;
}

void write_png(const std::string& path, const Image& img) {
  if (img.empty()) throw Error(path + ": cannot write an empty image");
  data::write_file_atomic(path, encode_png(img));
}

Image read_png(const std::string& path) {
  const std::vector<std::uint8_t> bytes = data::read_file(path);
  png_image pi{};
  pi.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&pi, bytes.data(), bytes.size()))
    throw Error(path + ": not a readable PNG (" + pi.message + ")");
  const bool color = (pi.format & PNG_FORMAT_FLAG_COLOR) != 0;
  pi.format = color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  if (pi.width == 0 || pi.height == 0 || pi.width > (1u << 16) || pi.height > (1u << 16)) {
    png_image_free(&pi);
    throw Error(path + ": PNG size " + std::to_string(pi.width) + "x" + std::to_string(pi.height) +
                " not supported");
  }
  Image img(static_cast<int>(pi.width), static_cast<int>(pi.height), color ? 3 : 1);
  const png_color black{0, 0, 0};
  if (!png_image_finish_read(&pi, &black, img.bytes().data(), 0, nullptr))
    throw Error(path + ": corrupt PNG (" + pi.message + ")");
  return img;
}

// ---- Pixels / probabilities ----

Image gray_image(const std::uint8_t* pixels, int width, int height) {
  Image img(width, height, 1);
  std::copy_n(pixels, img.bytes().size(), img.bytes().begin());
  return img;
}

Image probability_image(const double* p, int width, int height) {
  return probability_image_impl(p, width, height);
}
Image probability_image(const float* p, int width, int height) {
  return probability_image_impl(p, width, height);
}

// ---- Grids ----

GridGeometry grid_geometry(std::size_t count, int tile_w, int tile_h, const GridOptions& opt) {
  if (tile_w <= 0 || tile_h <= 0) throw Error("image grid: bad tile size " + dims(tile_w, tile_h));
  if (opt.gap < 0 || opt.gap > 1000) throw Error("image grid: gap " + std::to_string(opt.gap));
  if (opt.scale < 1 || opt.scale > 64)
    throw Error("image grid: scale " + std::to_string(opt.scale));
  if (opt.rows < 0 || opt.cols < 0) throw Error("image grid: negative rows or cols");
  if (count == 0 && (opt.rows == 0 || opt.cols == 0))
    throw Error("image grid: no images (and no explicit rows x cols)");
  GridGeometry g;
  const auto ceil_div = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
  std::size_t rows = std::size_t(opt.rows), cols = std::size_t(opt.cols);
  if (cols == 0) {
    if (rows != 0) {
      cols = ceil_div(count, rows);
    } else {
      cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(count))));
      while (cols * cols < count) ++cols;
    }
  }
  if (rows == 0) rows = ceil_div(count, cols);
  if (rows * cols < count)
    throw Error("image grid: " + std::to_string(count) + " images do not fit " +
                std::to_string(rows) + " rows x " + std::to_string(cols) + " cols");
  if (!opt.row_labels.empty() && opt.row_labels.size() != rows)
    throw Error("image grid: " + std::to_string(opt.row_labels.size()) + " row labels for " +
                std::to_string(rows) + " rows");
  g.rows = static_cast<int>(rows);
  g.cols = static_cast<int>(cols);
  g.tile_w = tile_w * opt.scale;
  g.tile_h = tile_h * opt.scale;
  g.gap = opt.gap;
  if (!opt.row_labels.empty()) {
    const int text_scale = grid_text_scale(tile_h * opt.scale);
    int widest = 0;
    for (const auto& s : opt.row_labels) widest = std::max(widest, text_width(s, text_scale));
    g.label_width = widest + 2 * std::max(2, opt.gap) + 2;
  }
  const double w = double(g.label_width) + double(cols) * g.tile_w + double(cols + 1) * g.gap;
  const double h = double(rows) * g.tile_h + double(rows + 1) * g.gap;
  if (w > (1 << 16) || h > (1 << 16))
    throw Error("image grid: " + std::to_string(long(w)) + "x" + std::to_string(long(h)) +
                " pixels is too large");
  g.width = static_cast<int>(w);
  g.height = static_cast<int>(h);
  return g;
}

Image image_grid(const std::vector<Image>& tiles, const GridOptions& opt) {
  if (tiles.empty()) throw Error("image grid: no images");
  const int tw = tiles[0].width(), th = tiles[0].height(), ch = tiles[0].channels();
  for (std::size_t k = 0; k < tiles.size(); ++k)
    if (tiles[k].width() != tw || tiles[k].height() != th || tiles[k].channels() != ch)
      throw Error("image grid: image " + std::to_string(k) + " is " +
                  dims(tiles[k].width(), tiles[k].height()) + "x" +
                  std::to_string(tiles[k].channels()) + ", image 0 is " + dims(tw, th) + "x" +
                  std::to_string(ch));
  const GridGeometry g = grid_geometry(tiles.size(), tw, th, opt);
  Image out(g.width, g.height, ch);
  out.fill_rect(0, 0, g.width, g.height, opt.gap_color);
  const int s = opt.scale;
  for (std::size_t k = 0; k < tiles.size(); ++k) {
    const int r = static_cast<int>(k) / g.cols, c = static_cast<int>(k) % g.cols;
    const int x0 = g.tile_x(c), y0 = g.tile_y(r);
    const Image& t = tiles[k];
    for (int y = 0; y < g.tile_h; ++y)
      for (int x = 0; x < g.tile_w; ++x)
        for (int cc = 0; cc < ch; ++cc) {
          const std::uint8_t v = t.at(x / s, y / s, cc);
          out.at(x0 + x, y0 + y, cc) = opt.invert ? std::uint8_t(255 - v) : v;
        }
  }
  if (!opt.row_labels.empty()) {
    const int text_scale = grid_text_scale(g.tile_h);
    const Rgb ink = luma(opt.gap_color) >= 128 ? Rgb{0, 0, 0} : Rgb{255, 255, 255};
    for (int r = 0; r < g.rows; ++r) {
      const std::string& label = opt.row_labels[std::size_t(r)];
      const int x = g.label_width - std::max(2, opt.gap) - text_width(label, text_scale);
      const int y = g.tile_y(r) + (g.tile_h - 7 * text_scale) / 2;  // centre the cap height
      draw_text(out, x, y, label, ink, text_scale);
    }
  }
  return out;
}

Image image_grid(const std::uint8_t* pixels, std::size_t count, int tile_w, int tile_h,
                 const GridOptions& opt) {
  if (tile_w <= 0 || tile_h <= 0) throw Error("image grid: bad tile size " + dims(tile_w, tile_h));
  std::vector<Image> tiles;
  tiles.reserve(count);
  const std::size_t per = std::size_t(tile_w) * std::size_t(tile_h);
  for (std::size_t k = 0; k < count; ++k)
    tiles.push_back(gray_image(pixels + k * per, tile_w, tile_h));
  return image_grid(tiles, opt);
}

Image image_grid(const std::vector<std::uint8_t>& pixels, int tile_w, int tile_h,
                 const GridOptions& opt) {
  if (tile_w <= 0 || tile_h <= 0) throw Error("image grid: bad tile size " + dims(tile_w, tile_h));
  const std::size_t per = std::size_t(tile_w) * std::size_t(tile_h);
  if (pixels.size() % per != 0)
    throw Error("image grid: " + std::to_string(pixels.size()) + " pixels is not a multiple of " +
                dims(tile_w, tile_h));
  return image_grid(pixels.data(), pixels.size() / per, tile_w, tile_h, opt);
}

Image probability_grid(const std::vector<double>& p, int tile_w, int tile_h,
                       const GridOptions& opt) {
  return probability_grid_impl(p, tile_w, tile_h, opt);
}
Image probability_grid(const std::vector<float>& p, int tile_w, int tile_h,
                       const GridOptions& opt) {
  return probability_grid_impl(p, tile_w, tile_h, opt);
}

Image stack_vertical(const std::vector<Image>& images, int gap, Rgb background) {
  return stack(images, gap, background, true);
}
Image stack_horizontal(const std::vector<Image>& images, int gap, Rgb background) {
  return stack(images, gap, background, false);
}

// ---- Drawing ----

void draw_line(Image& img, double x0, double y0, double x1, double y1, Rgb color,
               double line_width) {
  // Coverage of a capsule of radius line_width/2 around the segment; integer
  // coordinates are pixel centres.
  const double hw = std::max(line_width, 0.0) / 2.0;
  const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  const int xa = static_cast<int>(std::floor(std::min(x0, x1) - hw - 1));
  const int xb = static_cast<int>(std::ceil(std::max(x0, x1) + hw + 1));
  const int ya = static_cast<int>(std::floor(std::min(y0, y1) - hw - 1));
  const int yb = static_cast<int>(std::ceil(std::max(y0, y1) + hw + 1));
  for (int y = std::max(ya, 0); y <= std::min(yb, img.height() - 1); ++y)
    for (int x = std::max(xa, 0); x <= std::min(xb, img.width() - 1); ++x) {
      double t = len2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / len2 : 0.0;
      t = std::clamp(t, 0.0, 1.0);
      const double ex = x - (x0 + t * dx), ey = y - (y0 + t * dy);
      const double cover = std::clamp(hw + 0.5 - std::sqrt(ex * ex + ey * ey), 0.0, 1.0);
      img.blend(x, y, color, cover);
    }
}

void fill_circle(Image& img, double cx, double cy, double radius, Rgb color) {
  draw_line(img, cx, cy, cx, cy, color, 2.0 * radius);
}

int text_width(const std::string& s, int scale) {
  if (s.empty()) return 0;
  return (static_cast<int>(s.size()) * kGlyphAdvance - 1) * scale;
}

void draw_text(Image& img, int x, int y, const std::string& s, Rgb color, int scale) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int gx = x + static_cast<int>(i) * kGlyphAdvance * scale;
    for (int row = 0; row < kGlyphHeight; ++row)
      for (int col = 0; col < 5; ++col)
        if (glyph_on(s[i], col, row))
          img.fill_rect(gx + col * scale, y + row * scale, scale, scale, color);
  }
}

void draw_text_up(Image& img, int x, int y, const std::string& s, Rgb color, int scale) {
  // Glyph pixel (col, row) of character i lands at (x + row, y + W - 1 - (i*advance + col)).
  const int w = text_width(s, 1);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int row = 0; row < kGlyphHeight; ++row)
      for (int col = 0; col < 5; ++col)
        if (glyph_on(s[i], col, row)) {
          const int u = static_cast<int>(i) * kGlyphAdvance + col;
          img.fill_rect(x + row * scale, y + (w - 1 - u) * scale, scale, scale, color);
        }
}

}  // namespace pbit
