// Predictions as report content: the matrix section and one finding per cause.
#include <fmt/format.h>

#include "tlsprofiles/codes.h"
#include "tlsprofiles/predict.h"

namespace sd::tlsprofiles {
namespace {

void add_code(Field& row, const char* name, CodeKind kind, const std::optional<std::uint16_t>& code) {
  if (code) row.add(leaf(name, code_label(kind, *code), 0, 0, *code));
}

Field cause_field(const Cause& c) {
  Field f = leaf("cause", c.kb_id.empty() ? c.reason : c.kb_id);
  f.add(leaf("stage", std::string(to_string(c.stage))));
  f.add(leaf("reason", c.reason));
  f.add(leaf("server_evidence", c.server_evidence));
  if (!c.client_shows.empty()) f.add(leaf("client_shows", c.client_shows));
  return f;
}

Field row_of(const ClientProfile& p, const Prediction& r) {
  Field row = leaf(p.id, r.summary);
  row.add(leaf("client", p.name));
  row.add(leaf("verdict", std::string(to_string(r.verdict))));
  add_code(row, "version", CodeKind::version, r.version);
  add_code(row, "cipher_suite", CodeKind::cipher_suite, r.cipher_suite);
  add_code(row, "group", CodeKind::group, r.group);
  if (r.sends_certificate) row.add(leaf("sends_certificate", *r.sends_certificate ? "yes" : "no"));
  for (const auto& c : r.causes) row.add(cause_field(c));
  for (const auto& u : r.unknowns) row.add(leaf("unknown", u));
  return row;
}

std::string_view stage_words(Stage s) {
  switch (s) {
    case Stage::handshake: return "the TLS handshake";
    case Stage::client_certificate: return "the client-certificate request";
    case Stage::data_channel: return "the FTPS data connection";
  }
  return "the TLS handshake";
}

std::string title_of(const ClientProfile& p, const Cause& c, const std::string& target) {
  return fmt::format("{} would fail against {} at {}", p.name, target, stage_words(c.stage));
}

}  // namespace

report::Section matrix_section(const std::vector<ClientProfile>& profiles, const std::vector<Prediction>& predictions,
                               const std::string& target) {
  report::Section s{"prediction", "Which clients connect", target, {}, {}};
  std::size_t connects = 0, fails = 0;
  for (std::size_t i = 0; i < profiles.size() && i < predictions.size(); ++i) {
    s.fields.push_back(row_of(profiles[i], predictions[i]));
    connects += predictions[i].verdict == Verdict::connects;
    fails += predictions[i].verdict == Verdict::fails;
  }
  s.notes.push_back(fmt::format("{} of {} client profiles connect, {} fail, {} unknown", connects, predictions.size(), fails,
                                predictions.size() - connects - fails));
  return s;
}

std::vector<Finding> prediction_findings(const ClientProfile& p, const Prediction& r, const std::string& target) {
  std::vector<Finding> out;
  for (const auto& c : r.causes) {
    Finding f;
    f.id = c.kb_id.empty() ? "tls.profile-fails" : c.kb_id;
    f.title = title_of(p, c, target);
    f.severity = Severity::high;
    f.confidence = 0.8;
    f.cause = c.reason;
    f.change_side = c.change_side;
    f.fixes = c.fixes;
    f.evidence.push_back({"", 0, c.server_evidence, "", std::nullopt, "server"});
    if (!c.client_shows.empty()) f.evidence.push_back({"", 0, c.client_shows, "", std::nullopt, "client"});
    f.evidence.push_back({"", 0, fmt::format("profile {} ({})", p.id, p.source_path), "", std::nullopt, "client"});
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace sd::tlsprofiles
