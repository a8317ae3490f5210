// Where the FTPS check gets a password: an environment variable or the first line of a file, never the
// command line. The secret lives only in a Secret, which wipes its memory when it goes away.
#pragma once

#include <optional>
#include <string>

#include "probe/probe.h"

namespace sd::probe::ftps {

/// A password held in memory only as long as needed; cleared with OPENSSL_cleanse on destruction.
class Secret {
 public:
  /// Takes the text over.
  explicit Secret(std::string text) : text_(std::move(text)) {}
  ~Secret();
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept : text_(std::move(other.text_)) { other.text_.clear(); }
  Secret& operator=(Secret&&) = delete;
  /// The password itself, for the one line that sends it.
  const std::string& reveal() const { return text_; }

 private:
  std::string text_;
};

/// The password for options.user: from the variable named by password_env, else the first line of
/// password_file (CR/LF stripped). nullopt with `error` set when neither source gives one (the error never
/// contains the secret).
std::optional<Secret> read_password(const ProbeOptions& options, std::string& error);

}  // namespace sd::probe::ftps
