// A decoded structure as a tree of named fields, each tied to the bytes it came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sd {

/// One named field of a decoded message; children hold nested structure.
struct Field {
  std::string name;                    ///< stable machine name, e.g. "cipher_suites"
  std::string value;                   ///< display value, e.g. "TLS_RSA_WITH_AES_256_CBC_SHA"
  std::optional<std::uint64_t> code;   ///< numeric code point, when the field is one
  std::size_t offset = 0;              ///< absolute offset of the field's bytes in the source
  std::size_t length = 0;              ///< how many bytes the field covers
  std::vector<Field> children;

  /// Appends a child and returns it, so callers can nest further.
  Field& add(Field child) {
    children.push_back(std::move(child));
    return children.back();
  }
  /// First child with this name, or nullptr.
  const Field* child(const std::string& n) const {
    for (const auto& c : children)
      if (c.name == n) return &c;
    return nullptr;
  }
};

/// Shorthand for a leaf field.
inline Field leaf(std::string name, std::string value, std::size_t offset = 0, std::size_t length = 0,
                  std::optional<std::uint64_t> code = std::nullopt) {
  Field f;
  f.name = std::move(name);
  f.value = std::move(value);
  f.offset = offset;
  f.length = length;
  f.code = code;
  return f;
}

}  // namespace sd
