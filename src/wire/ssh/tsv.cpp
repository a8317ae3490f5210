#include "wire/ssh/tsv.h"

namespace sd::ssh {

namespace {
std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    out.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}
}  // namespace

TsvTable TsvTable::parse(std::string_view text) {
  TsvTable t;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (t.header_.empty()) {
      t.header_ = split_tabs(line);
    } else {
      t.rows_.push_back(split_tabs(line));
    }
  }
  return t;
}

std::string TsvTable::cell(std::size_t row, std::string_view column) const {
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (header_[c] == column) return c < rows_[row].size() ? rows_[row][c] : std::string();
  }
  return {};
}

}  // namespace sd::ssh
