#pragma once
/// dlscale-nccl-probe's output: a table per collective (nccl-tests' columns) with its alpha/beta
/// fit, and CSV files with units in the column names.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/nccl/nccl_sweep.hpp"
#include "dlscale/fit.hpp"

namespace dlscale::calib {

struct CollectiveReport {
  Collective collective = Collective::all_reduce;
  int ranks = 0;
  std::vector<SizeResult> sizes;
  std::optional<LinkFit> fit;  ///< t = alpha + size / beta over `sizes`
  std::string fit_error;       ///< why there is no fit (fewer than 2 sizes, time not growing)
};

/// Fits alpha and beta with fit_link; a failed fit is kept as fit_error, not thrown.
CollectiveReport make_report(Collective c, int ranks, std::vector<SizeResult> sizes);

void print_report(const CollectiveReport& r, std::ostream& out);
/// collective,ranks,size_bytes,count,time_us,algbw_GBps,busbw_GBps
void write_sizes_csv(const std::vector<CollectiveReport>& reports, std::ostream& out);
/// collective,ranks,alpha_us,beta_GBps,r_squared,max_abs_residual,bad_fit (fitted collectives only)
void write_fit_csv(const std::vector<CollectiveReport>& reports, std::ostream& out);

}  // namespace dlscale::calib
