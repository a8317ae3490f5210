// The one cursor for untrusted bytes, and its writing twin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sd {

using Bytes = std::span<const std::uint8_t>;
using ByteVec = std::vector<std::uint8_t>;

/// A bounds-checked cursor over bytes. Reads return nullopt instead of overrunning.
/// A *stream* reader ends where the input so far ends (running out = need more bytes);
/// a *bounded* reader covers a whole length-delimited structure (running out = malformed).
class Reader {
 public:
  /// Reader over input that may continue later (a socket buffer, a partial dump).
  static Reader stream(Bytes data, std::size_t base_offset = 0) { return Reader(data, base_offset, false); }
  /// Reader over a structure whose length is already known.
  static Reader bounded(Bytes data, std::size_t base_offset = 0) { return Reader(data, base_offset, true); }

  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }
  /// Absolute offset of the next unread byte within the outermost input.
  std::size_t offset() const { return base_ + pos_; }
  /// The unread bytes, without consuming them.
  Bytes rest() const { return data_.subspan(pos_); }
  /// Every byte this reader covers, read or not.
  Bytes whole() const { return data_; }
  bool is_bounded() const { return bounded_; }

  std::optional<std::uint8_t> u8();
  std::optional<std::uint16_t> u16();
  std::optional<std::uint32_t> u24();
  std::optional<std::uint32_t> u32();
  std::optional<std::uint64_t> u64();
  std::optional<std::uint8_t> peek_u8() const;
  std::optional<std::uint16_t> peek_u16() const;
  /// Takes exactly n bytes.
  std::optional<Bytes> bytes(std::size_t n);
  /// Takes n bytes as a bounded child reader.
  std::optional<Reader> sub(std::size_t n);
  bool skip(std::size_t n);
  /// Takes everything that is left.
  Bytes take_rest();

  /// Reads a big-endian length of len_bytes (1..4) and returns the body as a bounded child reader.
  std::optional<Reader> prefixed(unsigned len_bytes);
  /// As prefixed(), and the body length must lie in [min, max].
  std::optional<Reader> vec(unsigned len_bytes, std::size_t min, std::size_t max);

  /// The error for the last failed read, at the current offset, naming the field path.
  ParseError fail(std::string path, std::string code = {}, std::string message = {}) const;
  /// An error if bytes are left over; nullopt when the reader is exhausted.
  std::optional<ParseError> expect_end(std::string path) const;

 private:
  enum class Failure { none, short_read, bad_length };
  Reader(Bytes data, std::size_t base, bool bounded) : data_(data), base_(base), bounded_(bounded) {}
  bool have(std::size_t n);
  std::uint64_t read_be(unsigned n);

  Bytes data_;
  std::size_t pos_ = 0;
  std::size_t base_ = 0;
  bool bounded_ = false;
  Failure failure_ = Failure::none;
  std::size_t failure_len_ = 0;
};

/// Builds bytes in network order; length prefixes are patched in when their body is done.
class Writer {
 public:
  void u8(std::uint8_t v) { buf_.push_back(v); }
  void u16(std::uint16_t v);
  void u24(std::uint32_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void bytes(Bytes b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  void text(std::string_view s) { buf_.insert(buf_.end(), s.begin(), s.end()); }

  /// Writes a len_bytes-wide length, runs body, then patches the length in.
  template <class Body>
  void prefixed(unsigned len_bytes, Body&& body) {
    const std::size_t at = begin_prefix(len_bytes);
    body(*this);
    end_prefix(at, len_bytes);
  }

  /// False when a body outgrew its length prefix.
  bool ok() const { return ok_; }
  std::size_t size() const { return buf_.size(); }
  const ByteVec& data() const { return buf_; }
  ByteVec take() { return std::move(buf_); }

 private:
  std::size_t begin_prefix(unsigned len_bytes);
  void end_prefix(std::size_t at, unsigned len_bytes);

  ByteVec buf_;
  bool ok_ = true;
};

/// Lower-case hex of bytes, optionally with a separator between bytes.
std::string to_hex(Bytes b, std::string_view sep = {});
/// Parses hex digits (whitespace ignored); nullopt on odd length or a non-hex character.
std::optional<ByteVec> from_hex(std::string_view text);
/// The bytes as printable ASCII, with '.' for anything else.
std::string printable(Bytes b);

}  // namespace sd
