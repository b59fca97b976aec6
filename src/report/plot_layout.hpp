#pragma once
// Private to the plot printers: which lines go in which panel. A panel holds the series of one
// mode (or scheme, or network) and at most `max_lines` of them, so a sweep of every scheme and
// mode is several readable panels instead of one with 19 lines.
#include <cstddef>
#include <string>
#include <vector>

#include "dlscale/report.hpp"
#include "report/series.hpp"

namespace dlscale::report_detail {

struct PanelLine {
  std::size_t series = 0;  ///< index into the series the panels were planned from
  std::string label;       ///< without what the panel title or the whole plot already says
};

struct Panel {
  std::string title;  ///< "sync-join", "sync-join (2 of 2)"
  std::vector<PanelLine> lines;
};

/// Panels of `series` grouped by `by`, in order of first appearance. A group with more than
/// `max_lines` lines is split into parts that keep a scheme family (central, sharded,
/// all-reduce) together where the family fits. Labels leave out the panel's own dimension and
/// any dimension that has one value in the whole plot (say, the only network).
std::vector<Panel> plan_panels(const std::vector<Series>& series, report::PanelBy by,
                               std::size_t max_lines);

}  // namespace dlscale::report_detail
