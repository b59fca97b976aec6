// The CPU probe's working set, estimated from the layer shapes before anything is allocated.
// The shapes come from a description file: any product may overflow, so every count is
// checked, and sums saturate at 2^64-1 (certainly more than any machine has).
#include "calibrate/cpu/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

constexpr std::uint64_t saturated = UINT64_MAX;

std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? saturated : r;
}
std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? saturated : r;
}

/// c x h x w of a per-sample shape; a ConfigError naming the layer when it overflows (the
/// description's fault, whatever the batch), so that no later c*h*w can.
std::uint64_t sample_elements(const Network& net, const Layer& L, const Shape& s) {
  std::int64_t r = 0;
  if (s.c < 0 || s.h < 0 || s.w < 0 || __builtin_mul_overflow(s.c, s.h, &r) ||
      __builtin_mul_overflow(r, s.w, &r))
    throw ConfigError(fmt::format("network '{}', layer '{}': a shape of {} x {} x {} elements per "
                                  "sample does not fit in a 64-bit count; smaller sizes expected",
                                  net.name(), L.name, s.c, s.h, s.w));
  return static_cast<std::uint64_t>(r);
}

std::optional<std::uint64_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return mul(kib, 1024);
  }
  return std::nullopt;
}

/// Address space still allowed under RLIMIT_AS (ulimit -v), or nullopt when unlimited.
std::optional<std::uint64_t> address_space_left() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return std::nullopt;
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0;
  statm >> pages;
  const std::uint64_t used = mul(pages, static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
  return lim.rlim_cur > used ? lim.rlim_cur - used : 0;
}

}  // namespace

std::uint64_t working_set_bytes(const Network& net, std::int64_t batch, std::uint64_t scalar_bytes) {
  const auto n = static_cast<std::uint64_t>(std::max<std::int64_t>(batch, 0));
  std::map<std::string, int, std::less<>> consumers;
  for (const auto& L : net.layers())
    for (const auto& name : L.inputs) ++consumers[name];
  std::uint64_t elements = 0, int32s = 0;      // scalars and int32 counts, summed over layers
  std::uint64_t col = 0, gemm = 0, scratch = 0;  // shared buffers: their largest use
  for (const auto& L : net.layers()) {
    const auto out = mul(n, sample_elements(net, L, L.out));
    const auto in = sample_elements(net, L, L.in);
    const auto c = static_cast<std::uint64_t>(std::max<std::int64_t>(L.out.c, 0));
    elements = add(elements, mul(2, out));  // y, dy
    if (consumers[L.name] > 1) scratch = std::max(scratch, out);  // a gradient to be summed
    if (L.kind == LayerKind::conv || L.kind == LayerKind::fc) {
      const auto groups = static_cast<std::uint64_t>(std::max(L.groups, 1));
      const auto taps = mul(static_cast<std::uint64_t>(std::max(L.kernel_h, 0)),
                            static_cast<std::uint64_t>(std::max(L.kernel_w, 0)));
      const auto in_c = static_cast<std::uint64_t>(std::max<std::int64_t>(L.in.c, 0));
      const auto fan_in = L.kind == LayerKind::fc ? in : mul(in_c / groups, taps);
      elements = add(elements, mul(2, mul(c, fan_in)));  // w, dw
      if (L.bias) elements = add(elements, mul(2, c));    // b, db
      if (L.kind == LayerKind::conv) {  // im2col columns (and their gradient), GEMM output
        const auto np = mul(n, mul(static_cast<std::uint64_t>(std::max<std::int64_t>(L.out.h, 0)),
                                   static_cast<std::uint64_t>(std::max<std::int64_t>(L.out.w, 0))));
        col = std::max(col, mul(mul(in_c, taps), np));
        gemm = std::max(gemm, mul(c, np));
      }
    }
    if (L.kind == LayerKind::batchnorm) elements = add(elements, mul(6, c));  // gamma, beta, grads, stats
    if (L.kind == LayerKind::lrn || L.kind == LayerKind::dropout) elements = add(elements, out);
    if (L.kind == LayerKind::maxpool) int32s = add(int32s, out);  // argmax
    if (L.kind == LayerKind::softmax) int32s = add(int32s, n);    // labels
  }
  elements = add(elements, add(mul(2, col), add(gemm, scratch)));
  return add(mul(elements, scalar_bytes), mul(int32s, 4));
}

std::optional<AvailableMemory> available_memory() {
  std::optional<AvailableMemory> r;
  if (const auto m = mem_available()) r = AvailableMemory{*m, "MemAvailable in /proc/meminfo"};
  if (const auto as = address_space_left(); as && (!r || *as < r->bytes))
    r = AvailableMemory{*as, "what RLIMIT_AS (ulimit -v) leaves"};
  return r;
}

std::string human_bytes(std::uint64_t bytes) {
  if (bytes == saturated) return "more than 16 EiB";
  static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) v /= 1024, ++u;
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

void check_fits_in_memory(const Network& net, std::int64_t batch, std::string_view option) {
  check_fits_in_memory(net.name(), batch, option, working_set_bytes(net, batch, sizeof(float)),
                       "activations, gradients, im2col buffers, weights");
}

void check_fits_in_memory(std::string_view network, std::int64_t batch, std::string_view option,
                          std::uint64_t need, std::string_view what) {
  const auto have = available_memory();
  if (!have || need <= have->bytes) return;
  throw ConfigError(fmt::format(
      "{} {}: {} needs about {} ({} bytes: {}) but {} is available ({}); a smaller batch "
      "expected", option, batch, network, human_bytes(need),
      need == saturated ? std::string("> 2^64-1") : std::to_string(need), what,
      human_bytes(have->bytes), have->source));
}

}  // namespace dlscale::calib
