// FTP control-connection replies (RFC 959 section 4.2) and the passive-mode answers (227, 229), parsed from
// untrusted text through sd::Reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::probe::ftps {

/// The longest reply line accepted; a longer one is malformed (a server flooding the control connection).
inline constexpr std::size_t kMaxLineBytes = 2048;
/// The most lines one multi-line reply may have (FEAT lists are the longest in practice).
inline constexpr std::size_t kMaxReplyLines = 200;

/// One complete reply: the three-digit code and its lines without terminators.
struct Reply {
  int code = 0;
  std::vector<std::string> lines;  ///< printable text; the first and last carry the code
  std::size_t size = 0;            ///< bytes the reply took in the input, terminators included

  /// The reply as one line for reports: the lines joined with " | ".
  std::string text() const;
  /// 1xx: more replies follow for this command.
  bool preliminary() const { return code >= 100 && code < 200; }
  /// 2xx.
  bool positive() const { return code >= 200 && code < 300; }
  /// 3xx.
  bool intermediate() const { return code >= 300 && code < 400; }
};

/// Parses one reply from the start of `input` (a stream: an unfinished reply is need_more; a bad code, an
/// over-long line or too many lines are malformed).
Result<Reply> parse_reply(Bytes input);

/// An IPv4 address and port announced in a 227 reply.
struct PassiveAddress {
  std::uint8_t octets[4] = {0, 0, 0, 0};
  std::uint16_t port = 0;
  /// Dotted-quad form, e.g. "127.0.0.1".
  std::string host() const;
};

/// The h1,h2,h3,h4,p1,p2 of a 227 reply's text (the numbers may stand anywhere after the code).
Result<PassiveAddress> parse_pasv(const Reply& reply);
/// The port of a 229 reply, "(|||port|)" with any delimiter character (RFC 2428 section 3).
Result<std::uint16_t> parse_epsv(const Reply& reply);
/// The features of a 211 FEAT reply: each indented line trimmed and upper-cased ("AUTH TLS;TLS-C", "PBSZ", "CCC" …).
std::vector<std::string> parse_features(const Reply& reply);
/// True when one of the features' first word is `name` ("CCC", "EPSV" …).
bool has_feature(const std::vector<std::string>& features, std::string_view name);

}  // namespace sd::probe::ftps
