// A tab-separated table with a header row; '#' lines are comments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sd::ssh {

/// Rows of named columns, read from TSV text.
class TsvTable {
 public:
  /// Parses text: comment lines skipped, the first other line names the columns.
  static TsvTable parse(std::string_view text);
  /// Number of data rows (header and comments excluded).
  std::size_t size() const { return rows_.size(); }
  /// The cell of a row under a column name; empty when the row is short or the column is missing.
  std::string cell(std::size_t row, std::string_view column) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sd::ssh
