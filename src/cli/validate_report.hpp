#pragma once
// Printers of `dlscale validate`: the per-row table and the per-predictor error table, as text,
// CSV or JSON. They compute nothing but the percentages of the rows they are handed.
#include <ostream>
#include <string_view>
#include <vector>

#include "dlscale/validate.hpp"

namespace dlscale::cli {

void write_validation_table(std::ostream& out, const std::vector<RowScore>& rows,
                            const std::vector<ErrorSummary>& summary, std::string_view interval);
/// One row per measured row, then (after a blank line) one per predictor.
void write_validation_csv(std::ostream& out, const std::vector<RowScore>& rows,
                          const std::vector<ErrorSummary>& summary);
void write_validation_json(std::ostream& out, const std::vector<RowScore>& rows,
                           const std::vector<ErrorSummary>& summary, std::string_view interval);

}  // namespace dlscale::cli
