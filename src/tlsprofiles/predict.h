// Which clients connect: a client profile held against what a server was found to accept (by the probe or the
// audit), giving the negotiated parameters or every reason it fails, with what each side shows and the fixes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "probe/tls/facts.h"
#include "report/report.h"
#include "tlsprofiles/profiles.h"

namespace sd::tlsprofiles {

/// The predicted result of one client connecting.
enum class Verdict { connects, fails, unknown };

/// Stable lower-case name ("connects", "fails", "unknown").
std::string_view to_string(Verdict v);

/// Where in the session a cause bites.
enum class Stage { handshake, client_certificate, data_channel };

/// Stable lower-case name ("handshake", "client-certificate", "data-channel").
std::string_view to_string(Stage s);

/// One reason the client fails (or would fail once an earlier reason is fixed).
struct Cause {
  Stage stage = Stage::handshake;
  std::string kb_id;            ///< KB rule id, e.g. "tls.no-shared-cipher"; empty when the KB has none
  std::string reason;           ///< plain words, naming the client's and the server's side
  std::string server_evidence;  ///< the server fact it rests on, e.g. "TLSv1.0 hello: alert 40, 500 OOPS: …"
  std::string client_shows;     ///< what the client reports (from the profile's symptoms)
  std::vector<Fix> fixes;       ///< server and client fixes with their security cost (from the KB and the profile)
  std::string change_side = "either";  ///< "client", "server" or "either" (the KB rule's, when there is one)
};

/// The predicted outcome of one profile against one server.
struct Prediction {
  std::string profile_id;
  Verdict verdict = Verdict::unknown;
  std::optional<std::uint16_t> version;       ///< negotiated version, when the handshake gets that far
  std::optional<std::uint16_t> cipher_suite;  ///< negotiated suite
  std::optional<std::uint16_t> group;         ///< key exchange group (ECDHE and TLS 1.3), when known
  std::optional<bool> sends_certificate;      ///< whether it would send a client certificate (when one is asked for)
  std::vector<Cause> causes;                  ///< handshake causes first; empty when it connects
  std::vector<std::string> unknowns;          ///< facts that were missing and what that leaves open
  std::string summary;                        ///< one line: "connects: TLSv1.2 … " or "fails: …"
};

/// Holds the profile against the server facts. Unknown facts never produce a failure, only "unknown".
Prediction predict(const ClientProfile& profile, const probe::tls::ServerFacts& facts);
/// predict() for each profile, in the profiles' order.
std::vector<Prediction> predict_all(const std::vector<ClientProfile>& profiles, const probe::tls::ServerFacts& facts);

/// The matrix: one field per profile (verdict, negotiated parameters or causes), kind "prediction".
report::Section matrix_section(const std::vector<ClientProfile>& profiles, const std::vector<Prediction>& predictions,
                               const std::string& target);
/// One finding per cause of a failing prediction (KB id, evidence on both sides, fixes), none when it connects.
std::vector<Finding> prediction_findings(const ClientProfile& profile, const Prediction& prediction,
                                         const std::string& target);

}  // namespace sd::tlsprofiles
