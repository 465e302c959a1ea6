#pragma once
// 8-bit images (grayscale or RGB), PNG files (libpng), image grids of many
// small images (e.g. "10 classes x K samples" of generated digits), and simple
// drawing: rectangles, anti-aliased lines, text in a built-in 5x7 bitmap font.
// Coordinates: x to the right, y downwards, (0,0) the top-left pixel.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pbit {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};
inline bool operator==(Rgb a, Rgb b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}
inline bool operator!=(Rgb a, Rgb b) {
  return !(a == b);
}
// Gray level of a colour (Rec. 601 luma, rounded).
std::uint8_t luma(Rgb c);

class Image {
 public:
  Image() = default;
  // channels: 1 (gray) or 3 (RGB, interleaved). Error on bad sizes.
  Image(int width, int height, int channels, std::uint8_t fill = 0);
  static Image rgb(int width, int height, Rgb fill);

  int width() const { return width_; }
  int height() const { return height_; }
  int channels() const { return channels_; }
  bool empty() const { return data_.empty(); }
  // Row-major, channels interleaved: (y * width + x) * channels + c.
  const std::vector<std::uint8_t>& bytes() const { return data_; }
  std::vector<std::uint8_t>& bytes() { return data_; }
  std::uint8_t& at(int x, int y, int c = 0) { return data_[index(x, y, c)]; }
  std::uint8_t at(int x, int y, int c = 0) const { return data_[index(x, y, c)]; }
  bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width_ && y < height_; }

  // Colour at (x,y) (gray g reads as (g,g,g)). Unchecked.
  Rgb pixel(int x, int y) const;
  // Drawing, clipped to the image; on a gray image colours become luma(c).
  void set(int x, int y, Rgb c);
  void blend(int x, int y, Rgb c, double alpha);  // alpha in [0,1]
  void fill_rect(int x, int y, int w, int h, Rgb c);
  // Copies `src` (same channel count) with its top-left corner at (x,y), clipped.
  void paste(const Image& src, int x, int y);

  bool operator==(const Image& o) const {
    return width_ == o.width_ && height_ == o.height_ && channels_ == o.channels_ &&
           data_ == o.data_;
  }

 private:
  std::size_t index(int x, int y, int c) const {
    return (std::size_t(y) * std::size_t(width_) + std::size_t(x)) * std::size_t(channels_) +
           std::size_t(c);
  }
  int width_ = 0, height_ = 0, channels_ = 1;
  std::vector<std::uint8_t> data_;
};

// Gray -> RGB (an RGB image is returned unchanged).
Image to_rgb(const Image& img);

// ---- PNG ----
// 8-bit gray or RGB PNG, written atomically (temporary file + rename).
// Errors (pbit::Error "<path>: cannot write: <reason>"): missing directory,
// no permission, path is a directory, empty image.
void write_png(const std::string& path, const Image& img);
std::vector<std::uint8_t> encode_png(const Image& img);
// Reads any PNG as 8-bit gray (if the file has no colour) or RGB; alpha is
// composited onto black. Errors name the path.
Image read_png(const std::string& path);

// ---- Pixels / probabilities -> images ----
// A gray image from width*height bytes (0 = black).
Image gray_image(const std::uint8_t* pixels, int width, int height);
// A gray image from per-pixel probabilities p in [0,1]: value round(255 p).
// NaN or values outside [0,1] are errors (they signal a bug upstream).
Image probability_image(const double* p, int width, int height);
Image probability_image(const float* p, int width, int height);

// ---- Grids ----
// count tiles of tile_w x tile_h, each pixel drawn as scale x scale, laid out
// row by row in a rows x cols grid with `gap` pixels of gap_color between
// tiles and around the border. Optional row labels go in a left margin.
//   width  = label_width + cols * tile_w * scale + (cols + 1) * gap
//   height = rows * tile_h * scale + (rows + 1) * gap
//   tile (r, c) starts at x = label_width + gap + c * (tile_w * scale + gap),
//                         y = gap + r * (tile_h * scale + gap)
// Cells beyond count are left in gap_color.
struct GridOptions {
  int rows = 0;   // 0: ceil(count / cols)
  int cols = 0;   // 0: rows given ? ceil(count / rows) : ceil(sqrt(count))
  int gap = 1;    // >= 0
  int scale = 1;  // >= 1 (nearest-neighbour upscaling)
  Rgb gap_color{128, 128, 128};
  bool invert = false;                  // draw 255 - v (dark ink on white)
  std::vector<std::string> row_labels;  // empty or one per row (text in the left margin)
};
struct GridGeometry {
  int rows = 0, cols = 0, width = 0, height = 0, label_width = 0;
  int tile_w = 0, tile_h = 0;  // after scaling
  int gap = 0;
  int tile_x(int c) const { return label_width + gap + c * (tile_w + gap); }
  int tile_y(int r) const { return gap + r * (tile_h + gap); }
};
GridGeometry grid_geometry(std::size_t count, int tile_w, int tile_h, const GridOptions& opt);

// From count * tile_h * tile_w gray bytes (e.g. Dataset::pixels of a subset).
Image image_grid(const std::uint8_t* pixels, std::size_t count, int tile_w, int tile_h,
                 const GridOptions& opt);
Image image_grid(const std::vector<std::uint8_t>& pixels, int tile_w, int tile_h,
                 const GridOptions& opt);
// From equally sized images (all gray or all RGB).
Image image_grid(const std::vector<Image>& tiles, const GridOptions& opt);
// From per-pixel probabilities in [0,1], count * tile_h * tile_w of them.
Image probability_grid(const std::vector<double>& p, int tile_w, int tile_h,
                       const GridOptions& opt);
Image probability_grid(const std::vector<float>& p, int tile_w, int tile_h, const GridOptions& opt);

// Stacks images (converted to RGB if any is RGB) with `gap` pixels between
// them, centred across, on `background`.
Image stack_vertical(const std::vector<Image>& images, int gap = 0,
                     Rgb background = {255, 255, 255});
Image stack_horizontal(const std::vector<Image>& images, int gap = 0,
                       Rgb background = {255, 255, 255});

// ---- Drawing ----
// Anti-aliased line segment of the given width (pixels), endpoints rounded.
void draw_line(Image& img, double x0, double y0, double x1, double y1, Rgb color,
               double line_width = 1.0);
// Anti-aliased filled disc.
void fill_circle(Image& img, double cx, double cy, double radius, Rgb color);

// Text in the built-in font: printable ASCII (others drawn as '?'), 5x7 glyphs
// with 2 rows of descenders, advancing 6 px per character; everything times
// `scale`. (x, y) is the top-left corner of the text box.
inline constexpr int kGlyphAdvance = 6;
inline constexpr int kGlyphHeight = 9;  // cap height 7 + descenders 2
int text_width(const std::string& s, int scale = 1);
inline int text_height(int scale = 1) {
  return kGlyphHeight * scale;
}
void draw_text(Image& img, int x, int y, const std::string& s, Rgb color, int scale = 1);
// Rotated 90 degrees counter-clockwise (reads bottom to top, as a y-axis
// label); (x, y) is the top-left of its text_height x text_width box.
void draw_text_up(Image& img, int x, int y, const std::string& s, Rgb color, int scale = 1);

}  // namespace pbit
