// Audit data tables: TSV files with a header row, embedded in the binary, read as rows of named fields.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sd::audit {

/// One row: column name -> cell.
using Row = std::map<std::string, std::string>;

/// Rows of the embedded table whose path ends with name (e.g. "vsftpd/defaults.tsv"); empty when absent.
std::vector<Row> table(std::string_view name);

/// Rows parsed from TSV text (first line is the header); short rows get empty cells.
std::vector<Row> parse_tsv(std::string_view text);

}  // namespace sd::audit
