#pragma once
/// Scoring dlscale against training runs that really happened: the measured-runs CSV
/// (format: docs/measured-runs.md), each row predicted through predict() and sim::simulate(),
/// and the error of each predictor. Validation never computes a model itself.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/data.hpp"
#include "dlscale/profile.hpp"
#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

/// One measured configuration (one CSV row); units as in the column names.
struct MeasuredRun {
  int line = 0;            ///< line of the CSV it came from
  std::string system;      ///< what ran: "openmpi", "pytorch-ddp-gloo", ...
  std::string algorithm;   ///< the system's own name for what it ran (free text; may be empty)
  std::string network;     ///< a network name or file; empty when only `bytes` is known
  Bytes bytes;             ///< bytes exchanged per worker per iteration (0: the network's fp32)
  int workers = 1;         ///< N
  int workers_per_host = 1;  ///< G: workers sharing one host's shaped NIC
  BytesPerSec link_rate;   ///< each host's NIC, each way (what tc was asked for)
  Seconds latency;         ///< one message between hosts (configured or measured), >= 0
  Seconds t_grad;          ///< one worker's compute per iteration, >= 0 (0: a bare collective)
  std::string t_grad_how;  ///< "sleep", "cpu" or "none"
  Scheme scheme = Scheme::ring;
  Mode mode = Mode::sync_join;
  Bytes bucket;            ///< gradient bucket (overlap); 0: no overlap
  Seconds t_iter_p50, t_iter_p90;  ///< measured, per iteration
  std::optional<double> speedup;   ///< measured, when the run had a one-worker baseline
  int repeats = 1;         ///< iterations behind the percentiles
  /// A profile calibrated on the row's cluster (optional column; relative to the CSV's folder
  /// once loaded); empty: ValidateOptions::profile, else the row's own rate and latency.
  std::string profile;
};

/// The CSV's columns in the order `dlscale validate` and the testbed write them.
const std::vector<std::string_view>& measured_run_columns();
/// Columns a header may leave out (added after the format was first published).
const std::vector<std::string_view>& optional_measured_run_columns();

/// Parses a measured-runs CSV. Throws ConfigError "SOURCE:LINE: column NAME: ..." for a
/// missing or unknown column, a non-number, a negative time, an unknown scheme or mode, a
/// p90 below the p50, and an empty file.
std::vector<MeasuredRun> parse_measured_runs(std::string_view text, std::string_view source);
/// Reads and parses a file (ConfigError when it cannot be read); a row's relative `profile`
/// path becomes relative to the file's folder.
std::vector<MeasuredRun> load_measured_runs(const std::string& path);

/// How validate predicts and where its interval comes from.
struct ValidateOptions {
  /// A profile measured on the cluster, for rows without one of their own: its fitted `tcp`
  /// link (alpha, beta) replaces the rows' nominal rate and latency, and the spread of its raw
  /// transfers around the fit (else the fit's largest residual) widens the interval.
  std::optional<Profile> profile;
  /// Lognormal t_grad jitter of the simulator's extra runs; a row whose network has two or
  /// more raw t_grad samples in `profile` uses their coefficient of variation instead.
  double jitter_cv = 0.05;
  int jitter_runs = 5;      ///< simulator runs with jitter per row (seeds 1..K)
  std::int64_t sim_iterations = 20;  ///< iterations each simulation runs
};

/// What dlscale predicts for one measured row.
struct RowScore {
  MeasuredRun run;
  Seconds closed_form;                ///< predict()'s estimate of t_iter
  Seconds closed_best, closed_worst;  ///< predict()'s bounds
  std::optional<Seconds> simulated;   ///< simulate()'s t_iter p50 without jitter; none: not simulated
  Seconds interval_lo, interval_hi;   ///< the predicted interval (see interval_source)
  bool inside = false;                ///< measured p50 within [lo, hi]
  std::vector<std::string> notes;     ///< assumptions (overlap not modelled, link from profile, ...)
};

/// The rows predicted; throws ConfigError naming the row's line for a row dlscale cannot
/// predict (a network it cannot load, N > 2048 for the simulator, ...).
std::vector<RowScore> score_runs(const std::vector<MeasuredRun>& runs, const ValidateOptions& o,
                                 const DataSource& data);
/// One sentence: what the interval is made of with these options (and rows naming profiles).
std::string interval_source(const ValidateOptions& o, bool any_row_profile);
/// Whether any row names a profile of its own.
bool any_row_profile(const std::vector<MeasuredRun>& runs);

/// Percentage errors of one predictor over the rows it predicted.
struct ErrorSummary {
  std::string predictor;  ///< "closed form" or "simulator"
  int rows = 0;           ///< rows it predicted
  double median_abs_pct = 0, p90_abs_pct = 0, max_abs_pct = 0;
  double bias_pct = 0;    ///< mean signed error: > 0 predicts too slow
  int inside = 0;         ///< of `rows`, measured p50 inside the interval
};
/// 100 (predicted - measured) / measured.
double percent_error(Seconds predicted, Seconds measured);
/// Closed form and simulator summaries, in that order (the simulator's counts only simulated
/// rows). Percentiles by the nearest-rank method.
std::vector<ErrorSummary> summarize(const std::vector<RowScore>& rows);

}  // namespace dlscale
