// Plot panels: which series go in which panel, and what the rendered SVG holds.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/report.hpp"
#include "report/plot_layout.hpp"

using namespace dlscale;
using report::PanelBy;
using report_detail::plan_panels;

namespace {

Prediction row(std::string network, Scheme scheme, Mode mode, int workers) {
  Prediction p;
  p.network = std::move(network);
  p.scheme = scheme;
  p.mode = mode;
  p.workers = workers;
  p.speedup = p.speedup_best = p.speedup_worst = workers;
  p.t_train = {Seconds{1.0 / workers}, Seconds{1.0 / workers}, Seconds{1.0 / workers}};
  return p;
}

// Every supported (scheme, mode) of one network at N = 1 and 2: the default `dlscale plot`.
std::vector<Prediction> default_sweep(const std::vector<std::string>& networks) {
  std::vector<Prediction> rows;
  for (const auto& n : networks)
    for (const auto s : all_schemes())
      for (const auto m : all_modes())
        if (supports(s, m))
          for (int w : {1, 2}) rows.push_back(row(n, s, m, w));
  return rows;
}

}  // namespace

TEST_CASE("the default plot of one network: panels by mode, at most 6 lines, every series once") {
  const auto rows = default_sweep({"SqueezeNet"});
  const auto series = report_detail::group_series(rows);
  REQUIRE(series.size() == 19);  // 5 server schemes x 3 modes + 2 all-reduce x 2 sync modes
  const auto panels = plan_panels(series, PanelBy::mode, 6);
  std::multiset<std::size_t> seen;
  for (const auto& p : panels) {
    CHECK(p.lines.size() <= 6);
    for (const auto& l : p.lines) seen.insert(l.series);
  }
  CHECK(seen.size() == series.size());
  CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == series.size());
  // sync-join has 7 schemes: the central family (2) and the sharded family (3) fill the first
  // part (5 lines; ring would make 6 but splits the all-reduce family), ring and tree the second.
  REQUIRE(panels.size() == 5);
  CHECK(panels[0].title == "sync-join (1 of 2)");
  CHECK(panels[0].lines.size() == 5);
  CHECK(panels[1].title == "sync-join (2 of 2)");
  REQUIRE(panels[1].lines.size() == 2);
  CHECK(panels[1].lines[0].label == "ring");  // one network, one mode per panel: the scheme alone
  CHECK(panels[4].title == "async");
  CHECK(panels[4].lines.size() == 5);  // no all-reduce in async
}

TEST_CASE("labels say only what differs; a family larger than the limit is chunked") {
  const auto rows = default_sweep({"SqueezeNet", "GoogLeNet"});
  const auto series = report_detail::group_series(rows);
  const auto by_network = plan_panels(series, PanelBy::network, 6);
  // Per network 19 lines: central 3 modes x 2 = 6, sharded 3 x 3 = 9 (chunked 6 + 3), all-reduce
  // 4; greedy: [central 6], [sharded 6], [sharded 3 + all-reduce... 3 + 4 = 7 > 6] -> [3], [4].
  REQUIRE(by_network.size() == 8);
  CHECK(by_network[0].title == "SqueezeNet (1 of 4)");
  CHECK(by_network[0].lines.front().label == "central sync-join");
  CHECK(by_network[2].lines.size() == 3);
  CHECK(by_network[3].lines.size() == 4);
  CHECK(by_network[4].title == "GoogLeNet (1 of 4)");
  const auto by_scheme = plan_panels(series, PanelBy::scheme, 6);
  CHECK(by_scheme.front().title == "central");
  CHECK(by_scheme.front().lines.front().label == "SqueezeNet sync-join");
  CHECK(by_scheme.front().lines.size() == 6);
}

TEST_CASE("--panels takes mode, scheme or network") {
  CHECK(report::parse_panel_by("scheme", "--panels") == PanelBy::scheme);
  CHECK_THROWS_WITH_AS(report::parse_panel_by("modes", "--panels"),
                       "--panels 'modes': unknown grouping; mode, scheme or network expected",
                       ConfigError);
}

TEST_CASE("the SVG has a titled panel per group, the band and the caption") {
  auto rows = default_sweep({"SqueezeNet"});
  for (auto& r : rows)
    if (r.scheme == Scheme::central) r.speedup_worst = r.speedup - 0.5;  // a band to shade
  report::PlotOptions o;
  o.title = "speedup vs workers: SqueezeNet";
  o.caption = "profile test; D = 128 batches";
  std::string svg;
  try {
    svg = report::plot_svg(rows, o);
  } catch (const ConfigError& e) {
    if (std::string(e.what()).find("gnuplot") != std::string::npos) return;  // gnuplot absent
    throw;
  }
  for (const char* text : {"sync-join (1 of 2)", "sync-join (2 of 2)", "sync-split (1 of 2)", "async",
                           "speedup vs workers: SqueezeNet", "profile test; D = 128 batches",
                           "workers N", "speedup over 1 worker [x]"})
    CHECK_MESSAGE(svg.find(text) != std::string::npos, text);
  CHECK(svg.starts_with("<?xml"));
  // The central lines' bands: translucent polygons (gnuplot's filledcurves); no other line has one.
  std::size_t bands = 0;
  for (auto at = svg.find("fill-opacity = '0.18"); at != std::string::npos;
       at = svg.find("fill-opacity = '0.18", at + 1))
    ++bands;
  CHECK(bands >= 3);  // central in sync-join, sync-split and async
  o.title = "no band";
  for (auto& r : rows) r.speedup_worst = r.speedup;
  CHECK(report::plot_svg(rows, o).find("fill-opacity = '0.18") == std::string::npos);
}
