// A self-contained HTML page: no script, no link to anything outside it, figures as inline SVG,
// so it opens offline, prints, and diffs as text.
#include <set>
#include <string>

#include <fmt/format.h>

#include "dlscale/report.hpp"

namespace dlscale::report {

namespace {

constexpr std::string_view style = R"(body{font-family:sans-serif;max-width:1280px;margin:1.5em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table.facts td{padding:.15em .8em .15em 0;vertical-align:top}table.facts td:first-child{color:#555;white-space:nowrap}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}
footer{margin-top:2em;color:#777;font-size:.85em}
)";

// gnuplot's SVG starts with an XML prologue and a DOCTYPE, which an HTML page must not repeat;
// its ids (point shapes, filters) are the same in every picture, so each figure gets its own
// prefix and a page with several figures has no duplicate id.
std::string inline_svg(std::string svg, std::size_t figure) {
  if (const auto at = svg.find("<svg"); at != std::string::npos) svg.erase(0, at);
  std::set<std::string> ids;
  for (auto at = svg.find("id='"); at != std::string::npos; at = svg.find("id='", at + 4)) {
    const auto end = svg.find('\'', at + 4);
    if (end == std::string::npos) break;
    ids.insert(svg.substr(at + 4, end - at - 4));
  }
  const auto prefix = fmt::format("f{}-", figure);
  for (const auto& id : ids)
    for (const auto& [from, to] : {std::pair{fmt::format("id='{}'", id), fmt::format("id='{}{}'", prefix, id)},
                                   std::pair{fmt::format("#{}'", id), fmt::format("#{}{}'", prefix, id)},
                                   std::pair{fmt::format("#{})", id), fmt::format("#{}{})", prefix, id)}})
      for (auto at = svg.find(from); at != std::string::npos; at = svg.find(from, at + to.size()))
        svg.replace(at, from.size(), to);
  return svg;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void write_html(std::ostream& out, std::string_view title, std::span<const HtmlSection> sections,
                std::string_view footer) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>" << html_escape(title) << "</title>\n<style>\n" << style << "</style>\n</head>\n"
      << "<body>\n<h1>" << html_escape(title) << "</h1>\n";
  std::size_t figure = 0;
  for (const auto& s : sections) {
    out << "<section>\n<h2>" << html_escape(s.heading) << "</h2>\n";
    for (const auto& p : s.paragraphs) out << "<p>" << html_escape(p) << "</p>\n";
    if (!s.facts.empty()) {
      out << "<table class=\"facts\">\n";
      for (const auto& [what, value] : s.facts)
        out << "<tr><td>" << html_escape(what) << "</td><td>" << html_escape(value) << "</td></tr>\n";
      out << "</table>\n";
    }
    if (!s.svg.empty()) {
      out << "<figure>\n" << inline_svg(s.svg, ++figure) << "\n";
      if (!s.caption.empty()) out << "<figcaption>" << html_escape(s.caption) << "</figcaption>\n";
      out << "</figure>\n";
    }
    if (!s.preformatted.empty()) out << "<pre>" << html_escape(s.preformatted) << "</pre>\n";
    out << "</section>\n";
  }
  out << "<footer>" << html_escape(footer) << "</footer>\n</body>\n</html>\n";
}

}  // namespace dlscale::report
