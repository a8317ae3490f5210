// libFuzzer target: arbitrary text through every log reader (auto-detected and forced), then the embedded KB scan.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "kb/matcher.h"
#include "logs/format.h"

namespace {

const sd::kb::Matcher& matcher() {
  static const std::unique_ptr<sd::kb::Matcher> m = [] {
    std::vector<sd::kb::KbError> errors;
    return sd::kb::Matcher::compile(sd::kb::load_embedded().kb, errors);
  }();
  return *m;
}

void scan(const std::string& text, const std::string& forced) {
  sd::logs::ReadOptions options;
  options.forced_format = forced;
  options.max_line = 4096;
  std::istringstream in(text);
  sd::kb::Scan s(matcher());
  sd::logs::read_events(in, "fuzz", options, [&](const sd::logs::Event& ev) { s.feed(ev); });
  (void)s.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks a forced format (or none); the rest is the log text.
  const auto formats = sd::logs::formats();
  const std::size_t pick = data[0] % (formats.size() + 1);
  const std::string forced = pick == formats.size() ? std::string() : std::string(formats[pick].name);
  scan(std::string(reinterpret_cast<const char*>(data + 1), size - 1), forced);
  return 0;
}
