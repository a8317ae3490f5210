// Reads SSH data types through sd::Reader, keeping the first error so parsers read straight through.
#pragma once

#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/types.h"

namespace sd::ssh {

/// A cursor over one SSH structure. After the first failed read every further read is a no-op
/// returning an empty value, and error() tells where and why the structure broke.
class WireReader {
 public:
  /// Reads from r, naming fields below prefix (e.g. "kexinit").
  WireReader(Reader r, std::string prefix) : r_(r), prefix_(std::move(prefix)) {}

  /// One byte.
  std::optional<std::uint8_t> byte(std::string_view field);
  /// A big-endian uint32.
  U32 u32(std::string_view field);
  /// A boolean: any non-zero byte is true (RFC 4251 §5).
  Flag boolean(std::string_view field);
  /// A string read as text, bytes kept as they are (describe() escapes what is not printable).
  Text text(std::string_view field);
  /// A string kept as raw bytes.
  Blob blob(std::string_view field);
  /// A name-list: comma-separated, non-empty, printable US-ASCII names without spaces.
  Names names(std::string_view field);
  /// A string's body as a bounded reader for nested structures (key and signature blobs).
  std::optional<Reader> nested(std::string_view field);
  /// Exactly n raw bytes.
  Blob fixed(std::size_t n, std::string_view field);
  /// Everything left, as raw bytes.
  Blob rest();

  /// True while no read has failed.
  bool ok() const { return !error_.has_value(); }
  /// The first error; only meaningful when !ok().
  const ParseError& error() const { return *error_; }
  /// Records an error if bytes are left over (and none was recorded before).
  void expect_end();
  /// Records a malformed-value error at offset (if none was recorded before).
  void reject(std::size_t offset, std::string_view field, std::string code, std::string message);
  /// Records an error found in a nested structure, keeping its own path (if none was recorded before).
  void adopt(ParseError error);
  /// Absolute offset of the next unread byte.
  std::size_t offset() const { return r_.offset(); }
  /// True when every byte has been read.
  bool empty() const { return r_.empty(); }
  /// The path prefix errors are named under.
  const std::string& prefix() const { return prefix_; }

 private:
  std::string path(std::string_view field) const;
  void fail(std::string_view field);

  Reader r_;
  std::string prefix_;
  std::optional<ParseError> error_;
};

}  // namespace sd::ssh
