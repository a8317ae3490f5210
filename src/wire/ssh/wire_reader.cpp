#include "wire/ssh/wire_reader.h"

#include <algorithm>

namespace sd::ssh {

bool contains(const Names& list, std::string_view name) {
  return std::find(list.value.begin(), list.value.end(), name) != list.value.end();
}

std::string WireReader::path(std::string_view field) const {
  if (prefix_.empty()) return std::string(field);
  return prefix_ + "." + std::string(field);
}

void WireReader::fail(std::string_view field) {
  if (!error_) error_ = r_.fail(path(field));
}

void WireReader::reject(std::size_t offset, std::string_view field, std::string code, std::string message) {
  if (!error_) error_ = malformed(offset, path(field), std::move(code), std::move(message));
}

void WireReader::adopt(ParseError error) {
  if (!error_) error_ = std::move(error);
}

std::optional<std::uint8_t> WireReader::byte(std::string_view field) {
  if (error_) return std::nullopt;
  auto v = r_.u8();
  if (!v) fail(field);
  return v;
}

U32 WireReader::u32(std::string_view field) {
  U32 out{0, r_.offset(), 4};
  if (error_) return out;
  if (auto v = r_.u32()) {
    out.value = *v;
  } else {
    fail(field);
  }
  return out;
}

Flag WireReader::boolean(std::string_view field) {
  Flag out{false, r_.offset(), 1};
  if (auto v = byte(field)) out.value = *v != 0;
  return out;
}

std::optional<Reader> WireReader::nested(std::string_view field) {
  if (error_) return std::nullopt;
  auto body = r_.prefixed(4);
  if (!body) fail(field);
  return body;
}

Blob WireReader::blob(std::string_view field) {
  Blob out{{}, r_.offset(), 0};
  auto body = nested(field);
  if (!body) return out;
  const Bytes b = body->take_rest();
  out.value.assign(b.begin(), b.end());
  out.length = r_.offset() - out.offset;
  return out;
}

Text WireReader::text(std::string_view field) {
  Blob b = blob(field);
  return Text{std::string(b.value.begin(), b.value.end()), b.offset, b.length};
}

namespace {
bool name_char(std::uint8_t c) { return c > 0x20 && c < 0x7f && c != ','; }
}  // namespace

Names WireReader::names(std::string_view field) {
  const Blob b = blob(field);
  Names out{{}, b.offset, b.length};
  if (error_ || b.value.empty()) return out;
  std::string current;
  const std::size_t body_at = b.offset + 4;
  for (std::size_t i = 0; i <= b.value.size(); ++i) {
    if (i == b.value.size() || b.value[i] == ',') {
      if (current.empty()) {
        reject(body_at + i, field, "empty_name", "a name-list holds an empty name");
        return out;
      }
      out.value.push_back(std::move(current));
      current.clear();
    } else if (name_char(b.value[i])) {
      current.push_back(static_cast<char>(b.value[i]));
    } else {
      reject(body_at + i, field, "bad_name", "a name-list holds a byte that is not printable US-ASCII");
      return out;
    }
  }
  return out;
}

Blob WireReader::fixed(std::size_t n, std::string_view field) {
  Blob out{{}, r_.offset(), n};
  if (error_) return out;
  if (auto b = r_.bytes(n)) {
    out.value.assign(b->begin(), b->end());
  } else {
    fail(field);
  }
  return out;
}

Blob WireReader::rest() {
  Blob out{{}, r_.offset(), 0};
  if (error_) return out;
  const Bytes b = r_.take_rest();
  out.value.assign(b.begin(), b.end());
  out.length = b.size();
  return out;
}

void WireReader::expect_end() {
  if (error_) return;
  if (auto e = r_.expect_end(prefix_)) error_ = std::move(*e);
}

}  // namespace sd::ssh
