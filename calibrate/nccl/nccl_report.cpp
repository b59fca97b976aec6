#include "calibrate/nccl/nccl_report.hpp"

#include <ostream>

#include <fmt/ostream.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {

CollectiveReport make_report(Collective c, int ranks, std::vector<SizeResult> sizes) {
  CollectiveReport r{c, ranks, std::move(sizes), std::nullopt, {}};
  std::vector<TransferSample> samples;
  for (const auto& s : r.sizes) samples.push_back({Bytes{s.size_bytes}, Seconds{s.seconds}});
  try {
    r.fit = fit_link(samples);
  } catch (const ConfigError& e) {
    r.fit_error = e.what();
  }
  return r;
}

// GB/s are 1e9 bytes per second, as nccl-tests prints them.
void print_report(const CollectiveReport& r, std::ostream& out) {
  fmt::print(out, "{}: {} ranks, float, sum\n", to_string(r.collective), r.ranks);
  fmt::print(out, "{:>14} {:>12} {:>12} {:>12} {:>12}\n", "size_B", "count", "time_us", "algbw_GBps", "busbw_GBps");
  for (const auto& s : r.sizes)
    fmt::print(out, "{:>14} {:>12} {:>12.2f} {:>12.3f} {:>12.3f}\n", s.size_bytes, s.count, 1e6 * s.seconds,
               1e-9 * s.algbw, 1e-9 * s.busbw);
  if (!r.fit) {
    fmt::print(out, "fit: none ({})\n", r.fit_error);
    return;
  }
  const auto& f = *r.fit;
  fmt::print(out, "fit: t = alpha + size / beta, alpha {:.2f} us, beta {:.3f} GB/s (algbw basis), r2 {:.4f}, "
             "max |residual| {:.1f}%{}{}\n", 1e6 * f.link.alpha.v, 1e-9 * f.link.beta.v, f.r_squared,
             100 * f.max_abs_residual, f.bad_fit ? ", BAD FIT" : "", f.negative_alpha ? ", negative alpha" : "");
}

void write_sizes_csv(const std::vector<CollectiveReport>& reports, std::ostream& out) {
  fmt::print(out, "collective,ranks,size_bytes,count,time_us,algbw_GBps,busbw_GBps\n");
  for (const auto& r : reports)
    for (const auto& s : r.sizes)
      fmt::print(out, "{},{},{},{},{:.4f},{:.6f},{:.6f}\n", to_string(r.collective), r.ranks, s.size_bytes, s.count,
                 1e6 * s.seconds, 1e-9 * s.algbw, 1e-9 * s.busbw);
}

void write_fit_csv(const std::vector<CollectiveReport>& reports, std::ostream& out) {
  fmt::print(out, "collective,ranks,alpha_us,beta_GBps,r_squared,max_abs_residual,bad_fit\n");
  for (const auto& r : reports)
    if (r.fit)
      fmt::print(out, "{},{},{:.4f},{:.6f},{:.6f},{:.6f},{}\n", to_string(r.collective), r.ranks,
                 1e6 * r.fit->link.alpha.v, 1e-9 * r.fit->link.beta.v, r.fit->r_squared, r.fit->max_abs_residual,
                 r.fit->bad_fit ? 1 : 0);
}

}  // namespace dlscale::calib
