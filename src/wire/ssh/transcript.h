// Reading one direction of a connection (identification, then packets until NEWKEYS), and
// working out what two KEXINITs agree on (RFC 4253 §7.1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/ident.h"
#include "wire/ssh/messages.h"
#include "wire/ssh/packet.h"

namespace sd::ssh {

/// What one side sent, in order, as far as it can be read without keys.
struct Transcript {
  std::optional<Identification> identification;
  std::vector<Packet> packets;
  std::vector<Message> messages;     ///< one per packet
  std::optional<ParseError> error;   ///< why reading stopped; need_more when the bytes simply ran out
  std::size_t consumed = 0;          ///< bytes read through the last whole packet
  bool newkeys_seen = false;         ///< bytes after NEWKEYS are encrypted and were not read
};

/// Reads an identification line and the packets after it. The context decides message numbers 30–34
/// and 60–61; when it does not name a kex family, the first KEXINIT's first usable kex name is used, and
/// each USERAUTH_REQUEST read sets the auth method.
Transcript read_transcript(Bytes data, Context context = {}, const PacketLimits& limits = {});

/// What a client and server KEXINIT agree on; nullopt where they share nothing.
struct Negotiated {
  std::optional<std::string> kex;
  std::optional<std::string> host_key;
  std::optional<std::string> cipher_c2s;
  std::optional<std::string> cipher_s2c;
  std::optional<std::string> mac_c2s;  ///< "<implicit>" when the cipher carries its own MAC (AEAD)
  std::optional<std::string> mac_s2c;
  std::optional<std::string> compression_c2s;
  std::optional<std::string> compression_s2c;
  bool strict_kex = false;  ///< both sides signalled strict key exchange
};

/// The first name on the client's list that the server's list also holds (RFC 4253 §7.1), per list.
/// Marker names (ext-info, kex-strict) never count as key exchange methods.
Negotiated negotiate(const Kexinit& client, const Kexinit& server);

/// The first name on client that server also holds, skipping marker names; nullopt when none.
std::optional<std::string> first_match(const Names& client, const Names& server);

}  // namespace sd::ssh
