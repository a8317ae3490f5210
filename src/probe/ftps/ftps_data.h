// The FTPS data-channel check: log in over a protected control connection, then list the root twice over TLS
// data connections (resuming the control session, then with a fresh one), and learn what the server demands:
// session reuse, PROT P, PROT C, CCC. It never writes, deletes or renames anything on the server.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/probe.h"
#include "probe/tls/facts.h"
#include "report/report.h"

namespace sd::probe::ftps {

/// One line of the control conversation as shown in reports: "> CMD" sent, "< reply" received. PASS is "PASS ****".
struct ControlLine {
  bool sent = false;
  std::string text;
};

/// One LIST over a TLS data connection.
struct DataAttempt {
  std::string mode;                 ///< "resumed" (offers the control session), "clear" (after PROT C), "fresh"
  std::string passive_command;      ///< "PASV" or "EPSV"
  std::string passive_reply;        ///< verbatim
  std::string announced_host;       ///< the address a 227 reply gave, empty for EPSV
  std::string data_host;            ///< the address actually connected to
  std::uint16_t data_port = 0;
  std::string connect_outcome;      ///< outcome name of the data connect ("success", "connection-refused" …)
  std::string tls_outcome;          ///< outcome name of the data handshake; empty when it never started
  std::string tls_detail;           ///< OpenSSL's words when the handshake failed
  std::string tls_version;          ///< negotiated on the data connection
  std::string cipher;
  std::optional<bool> session_reused;  ///< the server resumed the offered session (only for "resumed")
  std::size_t listing_bytes = 0;    ///< bytes of the directory listing received
  std::string preliminary_reply;    ///< 150/125, verbatim, when one came
  std::string final_reply;          ///< 226 on success, 522/425/… on failure, verbatim
  bool succeeded = false;           ///< the listing arrived and the final reply was positive
};

/// Everything the check learnt. Optional fields left empty were not determined.
struct DataChannelResult {
  std::string target;               ///< the URL as given
  bool implicit = false;            ///< TLS from the first byte
  std::string outcome;              ///< how the whole check ended: "success" or an outcome name
  std::string stopped_at;           ///< the step that ended the check early, empty when it ran through
  std::string detail;               ///< a plain sentence about how it ended
  std::string banner;               ///< the 220 greeting, verbatim
  std::optional<bool> auth_tls;     ///< AUTH TLS accepted
  std::optional<bool> auth_ssl;     ///< AUTH SSL accepted (tried only when AUTH TLS was refused)
  std::string control_tls_version;
  std::string control_cipher;
  std::vector<std::string> features;  ///< FEAT lines, upper-cased
  std::string login_user;           ///< "anonymous" or --user; never the password
  std::optional<bool> logged_in;
  std::string login_reply;          ///< the reply that ended the login, verbatim
  std::string pbsz_reply;
  std::optional<bool> prot_p_accepted;
  std::string prot_p_reply;
  std::optional<bool> prot_c_accepted;        ///< PROT C taken and a LIST in clear then worked
  std::string prot_c_reply;                   ///< the reply to PROT C itself
  std::optional<bool> epsv_accepted;
  std::vector<DataAttempt> attempts;          ///< in order: resumed, clear (when PROT C was taken), fresh
  std::optional<bool> requires_session_reuse; ///< the fresh attempt failed where the resumed one worked
  std::optional<bool> pasv_address_differs;   ///< the 227 address is not the control connection's
  std::optional<bool> ccc_advertised;
  std::optional<bool> ccc_accepted;           ///< sent only when advertised in FEAT, as the very last command
  std::string ccc_reply;
  std::vector<ControlLine> control;  ///< the control conversation, passwords redacted
  unsigned connections = 0;          ///< TCP connections opened (control and data)

  /// The attempt of that mode, or nullptr when it was not made.
  const DataAttempt* attempt(std::string_view mode) const {
    for (const auto& a : attempts)
      if (a.mode == mode) return &a;
    return nullptr;
  }
};

/// Runs the check against ftps://host:port (explicit: AUTH TLS, then AUTH SSL) or, with `implicit`, TLS at
/// once. Logs in anonymously, or as options.user with the password from options.password_env (an environment
/// variable) or options.password_file (its first line). Network failures are outcomes in the result; it never throws.
DataChannelResult check_data_channel(const Url& url, const ProbeOptions& options, bool implicit);

/// Adds a "probe" section with the result and the findings it supports (KB ids ftps.*) to the report.
void add_to_report(const DataChannelResult& result, report::Report& out);

/// Copies what the check learnt into the facts the client-profile prediction reads.
void fill_facts(const DataChannelResult& result, tls::FtpsFacts& facts);

}  // namespace sd::probe::ftps
