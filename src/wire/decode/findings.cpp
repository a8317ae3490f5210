// Which decoded observations are problems. Each finding points at the message's lines and bytes.
#include <algorithm>

#include "wire/decode/decode.h"
#include "wire/decode/summarize.h"
#include "wire/tls/registry.h"

namespace sd::decode {

namespace {

constexpr std::size_t kEvidenceBytes = 64;

Evidence evidence_of(const Message& m, const std::string& file, std::string side) {
  Evidence e;
  e.file = file;
  e.line = m.first_line;
  e.text = m.label.empty() ? m.summary.message : m.label;
  e.bytes_hex = to_hex(Bytes(m.bytes).first(std::min(m.bytes.size(), kEvidenceBytes)));
  e.side = std::move(side);
  return e;
}

Finding make(std::string id, std::string title, Severity severity, std::string cause, std::string side) {
  Finding f;
  f.id = std::move(id);
  f.title = std::move(title);
  f.severity = severity;
  f.cause = std::move(cause);
  f.change_side = std::move(side);
  return f;
}

Reference rfc(const std::string& number, const std::string& title) {
  return {"RFC " + number, "https://www.rfc-editor.org/rfc/rfc" + number, title};
}

std::optional<Finding> plaintext_finding(const Message& m) {
  if (m.summary.plaintext.empty()) return std::nullopt;
  const bool ftp = m.summary.plaintext_kind == "ftp-reply";
  Finding f = make(m.summary.alert_description.empty() ? "tls.plaintext-reply" : "tls.alert-then-plaintext",
                   "Plaintext \"" + m.summary.plaintext.substr(0, 40) + "\" where a TLS record was expected", Severity::high,
                   "The peer answered with text (" + m.summary.plaintext_kind + "), not a TLS record: it did not start TLS at this point of the conversation.",
                   "either");
  if (ftp) {
    f.fixes.push_back({"server", "Check that the FTP server has TLS enabled for this port and answers AUTH TLS with 234 and then a TLS handshake.", "", ""});
    f.fixes.push_back({"client", "Check implicit versus explicit FTPS: on an explicit (AUTH TLS) port the client must send AUTH TLS first; on an implicit port (990) it must start TLS at once.", "", ""});
    f.references.push_back(rfc("4217", "Securing FTP with TLS"));
  }
  f.references.push_back(rfc("8446", "The Transport Layer Security (TLS) Protocol Version 1.3, section 5.1 (record layer)"));
  return f;
}

std::optional<Finding> alert_finding(const Message& m) {
  if (m.summary.alert_description.empty() || !m.summary.plaintext.empty()) return std::nullopt;
  const bool fatal = m.summary.alert_level == "fatal";
  const bool closing = m.summary.alert_description == "close_notify";
  Finding f = make("tls.alert." + m.summary.alert_description, "TLS alert: " + m.summary.alert_level + " " + m.summary.alert_description,
                   closing ? Severity::info : (fatal ? Severity::high : Severity::low),
                   m.notes.empty() ? m.summary.alert_description : m.notes.back(), "either");
  f.references.push_back(rfc("8446", "The Transport Layer Security (TLS) Protocol Version 1.3, section 6 (alerts)"));
  return f;
}

std::optional<Finding> hello_finding(const Message& m) {
  if (m.summary.message != "ClientHello" || !m.summary.max_version) return std::nullopt;
  const bool sslv2 = m.kind == "sslv2-hello";
  const bool legacy = *m.summary.max_version <= tls::code::kTls10;
  if (!sslv2 && !legacy) return std::nullopt;
  std::string cause = "The client offers at most " + detail::version_words(*m.summary.max_version) + ".";
  if (m.summary.extensions.empty()) cause += " It sends no extensions (no SNI, no signature_algorithms, no supported_groups).";
  if (sslv2) cause += " The hello uses the SSLv2 record format, which most current servers refuse.";
  Finding f = make(sslv2 ? "tls.client-hello-sslv2-format" : "tls.client-hello-legacy-only",
                   "ClientHello offers only " + detail::version_words(*m.summary.max_version), Severity::medium, cause, "client");
  f.fixes.push_back({"client", "Enable TLS 1.2 (and TLS 1.3 where available) in the client's TLS settings, e.g. on z/OS AT-TLS TTLSEnvironmentAdvancedParms TLSv1.2 On, or System SSL GSK_PROTOCOL_TLSV1_2=ON.", "", "none"});
  f.references.push_back(rfc("8996", "Deprecating TLS 1.0 and TLS 1.1"));
  return f;
}

std::optional<Finding> small_dh_finding(const Message& m) {
  for (const auto& n : m.notes)
    if (n.starts_with("DH groups under 2048 bits"))
      return make("tls.dh-group-small", "Server's DHE group is smaller than 2048 bits", Severity::medium, n, "server");
  return std::nullopt;
}

std::optional<Finding> undecodable_finding(const Message& m) {
  if (m.kind != "undecodable") return std::nullopt;
  return make("decode.undecodable", "Bytes that do not decode as TLS", Severity::info,
              m.notes.empty() ? "The dump did not decode." : m.notes.front(), "");
}

}  // namespace

std::vector<Finding> findings(const std::vector<Message>& messages, const std::string& file) {
  using Rule = std::optional<Finding> (*)(const Message&);
  constexpr Rule kRules[] = {plaintext_finding, alert_finding, hello_finding, small_dh_finding, undecodable_finding};
  std::vector<Finding> out;
  for (const auto& m : messages) {
    for (const auto rule : kRules) {
      auto f = rule(m);
      if (!f) continue;
      const std::string side = m.summary.message == "ClientHello" ? "client" : "";
      f->evidence.push_back(evidence_of(m, file, side));
      out.push_back(std::move(*f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  return out;
}

}  // namespace sd::decode
