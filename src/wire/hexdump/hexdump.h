// Recovering bytes from hex dumps embedded in arbitrary text (traces, logs, pasted output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace sd::hexdump {

/// One dump found in the text, with every byte tied to the line it came from.
struct Dump {
  std::string format;                 ///< "zos-systemssl", "xxd", "od", "hexdump-C", "tcpdump", "wireshark",
                                      ///< "openssl-msg", "openssl-debug" (BIO_dump, s_client -debug),
                                      ///< "java" (JSSE debug), "plain"
  std::size_t first_line = 0;         ///< 1-based line of the first dump line
  std::size_t last_line = 0;          ///< 1-based line of the last dump line
  std::string label;                  ///< nearest descriptive text line above the dump, e.g.
                                      ///< "V3 CLIENT-HELLO message", "SSL record header", "<<< TLS 1.2 Handshake [length 0045], ServerHello"
  std::string direction;              ///< "sent", "received" or "" when the text does not say
  ByteVec bytes;
  std::vector<std::uint32_t> byte_lines;  ///< byte_lines[i] is the 1-based line of bytes[i]
  bool truncated = false;             ///< the dump held more than Limits::max_dump_bytes; the rest was dropped
};

/// The most bytes kept for one dump, by default.
inline constexpr std::size_t kMaxDumpBytes = std::size_t{16} << 20;

/// Bounds on the memory one call may use.
struct Limits {
  std::size_t max_dump_bytes = kMaxDumpBytes;    ///< bytes kept for one dump
  std::size_t max_repeat_bytes = kMaxDumpBytes;  ///< bytes all '*' lines of the text may stand for, together
};

/// Finds every dump in the text, in order. Never throws; text between dumps is ignored.
std::vector<Dump> recover(std::string_view text);

/// As recover(text), within the given limits.
std::vector<Dump> recover(std::string_view text, const Limits& limits);

}  // namespace sd::hexdump
