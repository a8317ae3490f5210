// The decode layer: text in, decoded protocol messages out. Used by `decode` and by the log readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.h"
#include "core/finding.h"
#include "core/result.h"
#include "wire/hexdump/hexdump.h"
#include "wire/tls/messages.h"

namespace sd::decode {

/// The facts about one message that rules and observations need, without walking the field tree.
struct Summary {
  std::string message;                      ///< "ClientHello", "ServerHello", "HelloRetryRequest", "Certificate",
                                            ///< "CertificateRequest", "Alert", "plaintext", "alert+plaintext", …
  std::optional<std::uint16_t> record_version;
  std::optional<std::uint16_t> max_version;  ///< highest version offered (ClientHello) or chosen (ServerHello)
  std::vector<std::uint16_t> cipher_suites;  ///< in wire order
  std::vector<std::uint16_t> extensions;     ///< extension types in wire order
  bool has_sni = false;
  bool has_signature_algorithms = false;
  bool has_supported_groups = false;
  bool all_cbc = false;                      ///< every real suite (SCSVs aside) is CBC
  bool no_forward_secrecy = false;           ///< no real suite uses (EC)DHE
  bool has_reneg_scsv = false;
  std::string alert_level;                   ///< "warning"/"fatal" when an alert was seen
  std::string alert_description;             ///< e.g. "handshake_failure"
  std::string plaintext;                     ///< the printable text, when the bytes were text
  std::string plaintext_kind;                ///< "ftp-reply", "smtp-greeting", "imap-greeting", "pop3-greeting",
                                             ///< "ssh-banner", "http", "text"
  bool cert_request_empty_ca_list = false;   ///< CertificateRequest with no CA names
};

/// One decoded message (or one undecodable dump), tied to its source lines.
struct Message {
  std::size_t first_line = 0;
  std::size_t last_line = 0;
  std::string label;                   ///< the trace's own words for the dump
  std::string dump_format;             ///< hexdump::Dump::format
  std::string kind;                    ///< "tls-record", "tls-handshake", "sslv2-hello", "plaintext",
                                       ///< "alert+plaintext", "undecodable"
  Summary summary;
  std::vector<Field> fields;           ///< field by field
  std::vector<std::string> notes;      ///< plain-language observations for an admin
  std::optional<ParseError> error;     ///< set when the bytes did not parse completely
  ByteVec bytes;
};

/// Decodes dumps in order, carrying what a ServerHello chose (version, suite) to the messages after it.
class Session {
 public:
  /// Decodes one dump: a TLS record stream, an SSLv2-format hello, a bare handshake message, or plaintext.
  std::vector<Message> decode(const hexdump::Dump& dump);

 private:
  std::vector<Message> decode_alone(const hexdump::Dump& dump);

  tls::Context ctx_;
  std::optional<hexdump::Dump> pending_header_;  ///< a 5-byte record header dumped on its own, awaiting its body
};

/// Decodes one recovered dump on its own.
std::vector<Message> decode_dump(const hexdump::Dump& dump);
/// Recovers every dump from the text and decodes each.
std::vector<Message> decode_text(std::string_view text);

/// The message's summary as a field tree ("summary" with message, versions, suites, extensions, alert, plaintext).
Field summary_field(const Message& message);

/// The problems the messages show, as findings (plaintext reply, alert, legacy-only or SSLv2 hello, undecodable
/// bytes); evidence names `file` and the source lines. Observations that are not problems stay in Message::notes.
std::vector<Finding> findings(const std::vector<Message>& messages, const std::string& file);

}  // namespace sd::decode
