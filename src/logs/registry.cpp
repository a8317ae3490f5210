// The ordered table of formats and the detector that scores the first lines of an input.
#include <array>
#include <map>

#include "logs/readers.h"

namespace sd::logs {
namespace {

const std::array<const Format*, 17>& table() {
  static const std::array<const Format*, 17> kTable{
      &zos_systemssl_format(), &zos_ftp_format(),        &zos_iked_format(),       &nimsh_format(),
      &strongswan_format(),    &sshd_format(),           &openssh_client_format(), &vsftpd_format(),
      &proftpd_tlslog_format(), &proftpd_format(),       &openssl_client_format(), &gnutls_client_format(),
      &curl_format(),          &transcript_format(),     &ftp_reply_format(),      &syslog_format(),         &plain_format()};
  return kTable;
}

bool generic(std::string_view name) { return name == "syslog" || name == "plain" || name == "ftp"; }

}  // namespace

std::span<const Format> formats() {
  static const std::vector<Format> kFormats = [] {
    std::vector<Format> v;
    for (const auto* f : table()) v.push_back(*f);
    return v;
  }();
  return kFormats;
}

const Format* find_format(std::string_view name) {
  for (const auto& f : formats())
    if (f.name == name) return &f;
  return nullptr;
}

std::string format_names() {
  std::string out;
  for (const auto& f : formats()) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

std::string detect_format(std::span<const std::string> lines) {
  std::map<std::string, std::size_t> votes;
  Event ev;
  for (const auto& raw : lines) {
    const Line line = split_line(raw);
    for (const auto& f : formats()) {
      if (!f.classify(line, ev)) continue;
      ++votes[ev.format];
      break;
    }
  }
  std::string best = votes.count("syslog") ? "syslog" : "plain";
  std::size_t best_votes = 0;
  for (const auto& [name, n] : votes) {
    if (generic(name) || n <= best_votes) continue;
    best = name;
    best_votes = n;
  }
  return best;
}

}  // namespace sd::logs
