#pragma once
// Progress of a long command on stderr: "simulate: 12/64 runs, 3.1 s" on one rewritten line,
// first after a second (short runs print nothing), then at most twice a second.
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string_view>

#include <fmt/format.h>

namespace dlscale::cli {

class Progress {
 public:
  Progress(std::ostream& err, std::string_view label, std::size_t total, std::string_view unit)
      : err_(err), label_(label), unit_(unit), total_(total) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() {
    if (shown_) err_ << fmt::format("\r{}: {}/{} {}, {:.1f} s\n", label_, done_, total_, unit_, elapsed());
  }

  void step() {
    ++done_;
    const double t = elapsed();
    if (t < 1.0 || t - last_ < 0.5) return;
    last_ = t;
    shown_ = true;
    err_ << fmt::format("\r{}: {}/{} {}, {:.1f} s", label_, done_, total_, unit_, t) << std::flush;
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  std::ostream& err_;
  std::string_view label_, unit_;
  std::size_t total_, done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_ = 0;
  bool shown_ = false;
};

}  // namespace dlscale::cli
