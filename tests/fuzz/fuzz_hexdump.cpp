// libFuzzer target for hex-dump recovery: any text must give dumps whose bytes and lines agree.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/hexdump/hexdump.h"

namespace {

constexpr std::array<std::string_view, 10> kFormats{"zos-systemssl", "xxd",           "od",   "hexdump-C",
                                                    "tcpdump",       "wireshark",     "java", "openssl-msg",
                                                    "openssl-debug", "plain"};

// Small limits keep each run fast; the limits themselves are what is checked.
constexpr sd::hexdump::Limits kLimits{64 * 1024, 64 * 1024};

void require(bool ok) {
  if (!ok) std::abort();
}

/// Checks one dump against the text it came from, which has `lines` lines.
void check(const sd::hexdump::Dump& d, std::size_t lines) {
  require(std::find(kFormats.begin(), kFormats.end(), d.format) != kFormats.end());
  require(d.byte_lines.size() == d.bytes.size());
  require(!d.bytes.empty());
  require(d.bytes.size() <= kLimits.max_dump_bytes);
  require(d.first_line >= 1 && d.first_line <= d.last_line && d.last_line <= lines);
  require(std::is_sorted(d.byte_lines.begin(), d.byte_lines.end()));
  require(d.byte_lines.front() >= d.first_line && d.byte_lines.back() <= d.last_line);
  require(d.direction.empty() || d.direction == "sent" || d.direction == "received");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  const auto dumps = sd::hexdump::recover(text, kLimits);
  std::size_t previous_last = 0;
  for (const auto& d : dumps) {
    check(d, lines);
    require(d.first_line > previous_last);  // dumps come in order and never overlap
    previous_last = d.last_line;
  }
  return 0;
}
