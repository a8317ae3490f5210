// Reading the password from the environment or a file, and wiping it afterwards.
#include "probe/ftps/credentials.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <fstream>

namespace sd::probe::ftps {

Secret::~Secret() {
  if (!text_.empty()) OPENSSL_cleanse(text_.data(), text_.size());
}

std::optional<Secret> read_password(const ProbeOptions& options, std::string& error) {
  if (!options.password_env.empty()) {
    const char* value = std::getenv(options.password_env.c_str());
    if (value) return Secret(value);
    error = "the environment variable " + options.password_env + " is not set";
    return std::nullopt;
  }
  if (!options.password_file.empty()) {
    std::ifstream in(options.password_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      error = "cannot read a first line from " + options.password_file;
      return std::nullopt;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    return Secret(std::move(line));
  }
  error = "--user needs --password-env or --password-file";
  return std::nullopt;
}

}  // namespace sd::probe::ftps
