// Reads the embedded TSV tables.
#include "audit/common/table.h"

#include <span>

#include "core/embedded.h"

std::span<const sd::EmbeddedFile> sd_audit_data();

namespace sd::audit {
namespace {

std::vector<std::string> cells(std::string_view line) {
  std::vector<std::string> out;
  while (true) {
    const auto tab = line.find('\t');
    out.emplace_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return out;
    line = line.substr(tab + 1);
  }
}

}  // namespace

std::vector<Row> parse_tsv(std::string_view text) {
  std::vector<Row> rows;
  std::vector<std::string> header;
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto c = cells(line);
    if (header.empty()) {
      header = std::move(c);
      continue;
    }
    Row row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < c.size() ? c[i] : std::string();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> table(std::string_view name) {
  for (const auto& f : sd_audit_data())
    if (f.path.size() >= name.size() && f.path.substr(f.path.size() - name.size()) == name) return parse_tsv(f.content);
  return {};
}

}  // namespace sd::audit
