#include "core/bytes.h"

#include <limits>

namespace sd {

bool Reader::have(std::size_t n) {
  if (remaining() >= n) return true;
  failure_ = Failure::short_read;
  failure_len_ = n;
  return false;
}

std::uint64_t Reader::read_be(unsigned n) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += n;
  return v;
}

std::optional<std::uint8_t> Reader::u8() {
  if (!have(1)) return std::nullopt;
  return static_cast<std::uint8_t>(read_be(1));
}
std::optional<std::uint16_t> Reader::u16() {
  if (!have(2)) return std::nullopt;
  return static_cast<std::uint16_t>(read_be(2));
}
std::optional<std::uint32_t> Reader::u24() {
  if (!have(3)) return std::nullopt;
  return static_cast<std::uint32_t>(read_be(3));
}
std::optional<std::uint32_t> Reader::u32() {
  if (!have(4)) return std::nullopt;
  return static_cast<std::uint32_t>(read_be(4));
}
std::optional<std::uint64_t> Reader::u64() {
  if (!have(8)) return std::nullopt;
  return read_be(8);
}

std::optional<std::uint8_t> Reader::peek_u8() const {
  if (remaining() < 1) return std::nullopt;
  return data_[pos_];
}

std::optional<std::uint16_t> Reader::peek_u16() const {
  if (remaining() < 2) return std::nullopt;
  return static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
}

std::optional<Bytes> Reader::bytes(std::size_t n) {
  if (!have(n)) return std::nullopt;
  Bytes out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::optional<Reader> Reader::sub(std::size_t n) {
  const std::size_t at = offset();
  auto b = bytes(n);
  if (!b) return std::nullopt;
  return Reader(*b, at, true);
}

bool Reader::skip(std::size_t n) {
  if (!have(n)) return false;
  pos_ += n;
  return true;
}

Bytes Reader::take_rest() {
  Bytes out = rest();
  pos_ = data_.size();
  return out;
}

std::optional<Reader> Reader::prefixed(unsigned len_bytes) {
  if (len_bytes == 0 || len_bytes > 4 || !have(len_bytes)) return std::nullopt;
  const std::size_t start = pos_;
  const auto len = static_cast<std::size_t>(read_be(len_bytes));
  auto child = sub(len);
  if (!child) pos_ = start;  // leave the cursor on the length field that lied
  return child;
}

std::optional<Reader> Reader::vec(unsigned len_bytes, std::size_t min, std::size_t max) {
  const std::size_t start = pos_;
  auto child = prefixed(len_bytes);
  if (!child) return std::nullopt;
  if (child->remaining() < min || child->remaining() > max) {
    failure_ = Failure::bad_length;
    failure_len_ = child->remaining();
    pos_ = start;
    return std::nullopt;
  }
  return child;
}

ParseError Reader::fail(std::string path, std::string code, std::string message) const {
  ParseError e;
  e.offset = offset();
  e.path = std::move(path);
  const bool ran_out = failure_ == Failure::short_read;
  e.status = (ran_out && !bounded_) ? ParseStatus::need_more : ParseStatus::malformed;
  if (code.empty()) code = failure_ == Failure::bad_length ? "length_out_of_range" : (ran_out ? "truncated" : "invalid");
  e.code = std::move(code);
  if (message.empty()) {
    if (failure_ == Failure::bad_length) {
      message = "length " + std::to_string(failure_len_) + " is outside the allowed range";
    } else if (ran_out) {
      message = "needs " + std::to_string(failure_len_) + " bytes, " + std::to_string(remaining()) + " left";
    } else {
      message = "invalid value";
    }
  }
  e.message = std::move(message);
  return e;
}

std::optional<ParseError> Reader::expect_end(std::string path) const {
  if (empty()) return std::nullopt;
  return malformed(offset(), std::move(path), "trailing_bytes", std::to_string(remaining()) + " bytes left over");
}

void Writer::u16(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  buf_.push_back(static_cast<std::uint8_t>(v));
}
void Writer::u24(std::uint32_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}
void Writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}
void Writer::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v >> 32));
  u32(static_cast<std::uint32_t>(v));
}

std::size_t Writer::begin_prefix(unsigned len_bytes) {
  const std::size_t at = buf_.size();
  buf_.insert(buf_.end(), len_bytes, 0);
  return at;
}

void Writer::end_prefix(std::size_t at, unsigned len_bytes) {
  const std::size_t len = buf_.size() - at - len_bytes;
  const std::uint64_t max = len_bytes >= 8 ? std::numeric_limits<std::uint64_t>::max() : ((std::uint64_t{1} << (8 * len_bytes)) - 1);
  if (len > max) ok_ = false;
  for (unsigned i = 0; i < len_bytes; ++i) {
    buf_[at + len_bytes - 1 - i] = static_cast<std::uint8_t>(len >> (8 * i));
  }
}

std::string to_hex(Bytes b, std::string_view sep) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * (2 + sep.size()));
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i && !sep.empty()) out.append(sep);
    out.push_back(kDigits[b[i] >> 4]);
    out.push_back(kDigits[b[i] & 0xf]);
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<ByteVec> from_hex(std::string_view text) {
  ByteVec out;
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':') continue;
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string printable(Bytes b) {
  std::string out;
  out.reserve(b.size());
  for (auto c : b) out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
  return out;
}

}  // namespace sd
