#pragma once
// Private to the printers: one prediction as CSV fields, shared by the sweep CSV and the
// simulation CSV (which appends its own columns).
#include <fmt/format.h>

#include "dlscale/predict.hpp"

namespace dlscale::report_detail {

/// The fields of `csv_header()` for `p`, without the newline; `scratch` is reused memory.
void csv_prediction(fmt::memory_buffer& buf, const Prediction& p, fmt::memory_buffer& scratch);

}  // namespace dlscale::report_detail
