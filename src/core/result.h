// Parse results: a value, or an error that says whether more bytes would help.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace sd {

/// Why a parse stopped: the input ended early, or it broke a rule of the format.
enum class ParseStatus { need_more, malformed };

/// Where and why a parse failed; offset is absolute within the outermost input.
struct ParseError {
  ParseStatus status = ParseStatus::malformed;
  std::size_t offset = 0;
  std::string path;     ///< field path, e.g. "client_hello.cipher_suites"
  std::string code;     ///< protocol-level code, e.g. "decode_error", "trailing_bytes"
  std::string message;  ///< one plain sentence

  /// True when feeding more bytes could turn this into a success.
  bool need_more() const { return status == ParseStatus::need_more; }
};

/// Either a T or a ParseError. Parsers return this; they never throw.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(ParseError error) : v_(std::move(error)) {}   // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  const ParseError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ParseError> v_;
};

/// Builds a malformed-input error.
inline ParseError malformed(std::size_t offset, std::string path, std::string code, std::string message) {
  return ParseError{ParseStatus::malformed, offset, std::move(path), std::move(code), std::move(message)};
}

/// Builds a need-more-bytes error.
inline ParseError need_more(std::size_t offset, std::string path, std::string message) {
  return ParseError{ParseStatus::need_more, offset, std::move(path), "truncated", std::move(message)};
}

}  // namespace sd
