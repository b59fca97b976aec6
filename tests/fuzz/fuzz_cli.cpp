// libFuzzer target: the dlscale command line, run in-process through dlscale::cli::run (the
// function main calls). Input: one argument per line ("\n"-separated; a final newline ends
// the last argument; the program name is not part of it), e.g. "predict\n--workers\n8\n".
// run() never throws and returns 0 (done) or 2 (bad input, with a message); 1 is its
// "internal error" (an exception other than ConfigError), which bad input must not cause:
// the target aborts on it, printing the message, so it counts as a finding like a crash.
//
// The target tests option parsing and validation, not long simulations or the file system.
// Inputs are skipped (not run) when they would:
//   - run gnuplot or write a file: any argument containing "plot" (the `plot` subcommand,
//     `predict --output plot`), and the options --csv, --trace, --out (written or
//     abbreviated: Boost accepts any unambiguous prefix, e.g. --tr);
//   - read outside the embedded data: any argument with a '/', and --data-dir;
//   - ask for long runs: a number above 1024 in the value of --workers (predict's csv output
//     and the sweeps predict every N); for `simulate`, a number above 8 in --workers or above
//     32 in --batches (a release build takes 1.2 s for `simulate --workers 8` at the default
//     128 batches, 60 s for --workers 64; a sanitized one 3-5x that). A `simulate` input
//     without --batches gets "--batches 8" inserted after the subcommand. Large values of
//     the other options (--batches elsewhere, --iterations, --seed, --links, --param ...)
//     are kept.
// Output goes to string streams, which are discarded.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"

namespace {

constexpr std::size_t max_args = 32;

// "--NAME" or "--NAME=VALUE": NAME, else "" (not an option, or "--" alone).
std::string_view option_name(std::string_view arg) {
  if (arg.size() < 3 || arg.substr(0, 2) != "--") return {};
  arg.remove_prefix(2);
  return arg.substr(0, arg.find('='));
}

// Boost.Program_options takes any unambiguous prefix of a long option name.
bool may_mean(std::string_view name, std::string_view option) {
  return !name.empty() && option.starts_with(name);
}

bool may_mean_any(std::string_view name, std::initializer_list<std::string_view> options) {
  for (const auto o : options)
    if (may_mean(name, o)) return true;
  return false;
}

// Every run of digits in `value` is at most `max`.
bool small_numbers(std::string_view value, long max) {
  for (std::size_t i = 0; i < value.size();) {
    if (value[i] < '0' || value[i] > '9') {
      ++i;
      continue;
    }
    long n = 0;
    for (; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
      n = n * 10 + (value[i] - '0');
      if (n > max) return false;
    }
  }
  return true;
}

// The value of the option at args[i]: after '=', else the next argument.
std::string_view value_of(const std::vector<std::string>& args, std::size_t i) {
  const std::string_view arg = args[i];
  if (const auto eq = arg.find('='); eq != std::string_view::npos) return arg.substr(eq + 1);
  return i + 1 < args.size() ? std::string_view(args[i + 1]) : std::string_view();
}

// Whether to run `args`, and for `simulate`, bound its batches (see the file comment).
bool prepare(std::vector<std::string>& args) {
  if (args.size() > max_args) return false;
  const bool simulate = !args.empty() && args[0] == "simulate";
  bool batches = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg.find("plot") != std::string_view::npos || arg.find('/') != std::string_view::npos)
      return false;
    const auto name = option_name(arg);
    if (may_mean_any(name, {"csv", "trace", "out", "data-dir"})) return false;
    if (may_mean(name, "workers") && !small_numbers(value_of(args, i), simulate ? 8 : 1024))
      return false;
    if (simulate && may_mean(name, "batches")) {
      if (!small_numbers(value_of(args, i), 32)) return false;
      batches = true;
    }
  }
  // Right after the subcommand: appended, it could follow a "--" and be read as positional.
  if (simulate && !batches) args.insert(args.begin() + 1, {"--batches", "8"});
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (std::size_t pos = 0; pos < text.size();) {
    const auto nl = text.find('\n', pos);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    args.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (!prepare(args)) return 0;
  std::ostringstream out, err;
  const int rc = dlscale::cli::run(std::move(args), out, err);
  if (rc != 0 && rc != 2) {
    std::fprintf(stderr, "fuzz_cli: run() returned %d; 0 or 2 expected\n%s", rc,
                 err.str().c_str());
    std::abort();
  }
  return 0;
}
