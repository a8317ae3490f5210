#include <fmt/format.h>

#include "report/render.h"

namespace sd::report {
namespace {

void field_text(std::string& out, const Field& f, int depth) {
  const std::string pad(static_cast<std::size_t>(depth) * 2 + 2, ' ');
  if (f.value.empty()) {
    out += fmt::format("{}{}\n", pad, f.name);
  } else {
    out += fmt::format("{}{}: {}\n", pad, f.name, f.value);
  }
  for (const auto& c : f.children) field_text(out, c, depth + 1);
}

// Ladder rows use the field name for direction: "client->server", "server->client", "client", "server", "break".
void ladder_text(std::string& out, const Section& s) {
  constexpr int kWidth = 56;
  out += fmt::format("  {:<{}}{}\n", "client", kWidth + 2, "server");
  for (const auto& step : s.fields) {
    std::string label = step.value;
    if (static_cast<int>(label.size()) > kWidth - 8) label = label.substr(0, kWidth - 11) + "...";
    if (step.name == "client->server") {
      const std::string body = fmt::format("-- {} ", label);
      out += fmt::format("  |{}{}>|\n", body, std::string(kWidth - body.size() - 1, '-'));
    } else if (step.name == "server->client") {
      const std::string body = fmt::format(" {} --", label);
      out += fmt::format("  |<{}{}|\n", std::string(kWidth - body.size() - 1, '-'), body);
    } else if (step.name == "break") {
      out += fmt::format("  X  {}\n", step.value);
    } else if (step.name == "server") {
      out += fmt::format("  |{:>{}} [{}]\n", "|", kWidth, step.value);
    } else {
      out += fmt::format("  [{}]\n", step.value);
    }
  }
}

void finding_text(std::string& out, std::size_t n, const Finding& f) {
  out += fmt::format("[{}] {} ({}, {})\n", n, f.title, f.id, to_string(f.severity));
  if (!f.cause.empty()) out += fmt::format("  cause: {}\n", f.cause);
  if (!f.change_side.empty()) out += fmt::format("  change: {} side\n", f.change_side);
  if (!f.evidence.empty()) {
    out += "  evidence:\n";
    for (const auto& e : f.evidence) {
      std::string where = e.file;
      if (e.line) where += fmt::format(":{}", e.line);
      if (!e.side.empty()) where += fmt::format(" ({})", e.side);
      out += fmt::format("    {}: {}\n", where, e.text);
      if (!e.bytes_hex.empty()) out += fmt::format("      bytes: {}\n", e.bytes_hex);
    }
  }
  for (const auto& x : f.fixes) {
    out += fmt::format("  fix ({}): {}\n", x.side, x.summary);
    if (!x.snippet.empty()) {
      std::size_t start = 0;
      while (start <= x.snippet.size()) {
        const auto end = x.snippet.find('\n', start);
        const auto line = x.snippet.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!line.empty()) out += fmt::format("      {}\n", line);
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    if (!x.risk.empty()) out += fmt::format("    risk: {}\n", x.risk);
  }
  for (const auto& r : f.references) {
    out += fmt::format("  ref: {}{}{}\n", r.id, r.title.empty() ? "" : " - " + r.title, r.url.empty() ? "" : " <" + r.url + ">");
  }
}

}  // namespace

std::string render_text(const Report& r) {
  std::string out;
  if (!r.findings.empty()) {
    out += fmt::format("{} finding{}\n\n", r.findings.size(), r.findings.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      finding_text(out, i + 1, r.findings[i]);
      out += "\n";
    }
  }
  for (const auto& s : r.sections) {
    out += fmt::format("== {}{} ==\n", s.title, s.source.empty() ? "" : " (" + s.source + ")");
    if (s.kind == "ladder") {
      ladder_text(out, s);
    } else {
      for (const auto& f : s.fields) field_text(out, f, 0);
    }
    for (const auto& n : s.notes) out += fmt::format("  * {}\n", n);
    out += "\n";
  }
  for (const auto& n : r.notes) out += fmt::format("{}\n", n);
  return out;
}

}  // namespace sd::report
