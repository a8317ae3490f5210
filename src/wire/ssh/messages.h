// SSH messages (the payload of a binary packet), parsed into typed bodies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/keys.h"
#include "wire/ssh/registry.h"
#include "wire/ssh/types.h"

namespace sd::ssh {

/// Message numbers this codec reads or writes (names and sources live in data/registry/ssh-messages.tsv).
namespace msg {
inline constexpr std::uint8_t disconnect = 1, ignore = 2, unimplemented = 3, debug = 4, service_request = 5,
                              service_accept = 6, ext_info = 7, kexinit = 20, newkeys = 21, kex_30 = 30, kex_31 = 31,
                              gex_init = 32, gex_reply = 33, gex_request = 34, userauth_request = 50,
                              userauth_failure = 51, userauth_success = 52, userauth_banner = 53, userauth_60 = 60, userauth_61 = 61,
                              global_request = 80, request_success = 81, request_failure = 82, channel_open = 90,
                              channel_open_confirmation = 91, channel_open_failure = 92, channel_window_adjust = 93,
                              channel_data = 94, channel_extended_data = 95, channel_eof = 96, channel_close = 97,
                              channel_request = 98, channel_success = 99, channel_failure = 100;
}  // namespace msg

/// SSH_MSG_DISCONNECT.
struct Disconnect {
  U32 reason;
  std::string reason_name;  ///< from the registry; empty for an unregistered code
  Text description;
  Text language;
};

/// SSH_MSG_IGNORE.
struct Ignore {
  Blob data;
};

/// SSH_MSG_UNIMPLEMENTED: the sequence number of the packet the peer did not understand.
struct Unimplemented {
  U32 sequence;
};

/// SSH_MSG_DEBUG.
struct Debug {
  Flag always_display;
  Text message;
  Text language;
};

/// SSH_MSG_SERVICE_REQUEST and SSH_MSG_SERVICE_ACCEPT.
struct Service {
  Text name;  ///< "ssh-userauth", "ssh-connection"
};

/// One extension of SSH_MSG_EXT_INFO.
struct Extension {
  Text name;
  Blob value;
  std::vector<std::string> names;  ///< the value read as a name-list, for server-sig-algs and similar
};

/// SSH_MSG_EXT_INFO (RFC 8308).
struct ExtInfo {
  U32 count;
  std::vector<Extension> extensions;
  /// The extension with this name, or nullptr.
  const Extension* find(std::string_view name) const;
};

/// The ten name-lists of KEXINIT, in wire order.
enum class KexList : std::size_t {
  kex, host_key, cipher_c2s, cipher_s2c, mac_c2s, mac_s2c, compression_c2s, compression_s2c, language_c2s, language_s2c
};
inline constexpr std::size_t kKexListCount = 10;
/// The RFC 4253 §7.1 field names of the ten lists.
inline constexpr std::array<std::string_view, kKexListCount> kKexListNames = {
    "kex_algorithms", "server_host_key_algorithms", "encryption_algorithms_client_to_server",
    "encryption_algorithms_server_to_client", "mac_algorithms_client_to_server", "mac_algorithms_server_to_client",
    "compression_algorithms_client_to_server", "compression_algorithms_server_to_client",
    "languages_client_to_server", "languages_server_to_client"};

/// SSH_MSG_KEXINIT.
struct Kexinit {
  Blob cookie;
  std::array<Names, kKexListCount> lists;
  Flag first_kex_packet_follows;
  U32 reserved;
  /// One of the ten lists.
  const Names& list(KexList which) const { return lists[static_cast<std::size_t>(which)]; }
  /// The kex list carries kex-strict-c-v00@openssh.com (a client offering strict KEX).
  bool strict_kex_client() const { return contains(list(KexList::kex), "kex-strict-c-v00@openssh.com"); }
  /// The kex list carries kex-strict-s-v00@openssh.com (a server offering strict KEX).
  bool strict_kex_server() const { return contains(list(KexList::kex), "kex-strict-s-v00@openssh.com"); }
  /// The kex list carries ext-info-c (the client accepts EXT_INFO).
  bool ext_info_client() const { return contains(list(KexList::kex), "ext-info-c"); }
  /// The kex list carries ext-info-s (the server accepts EXT_INFO).
  bool ext_info_server() const { return contains(list(KexList::kex), "ext-info-s"); }
};

/// The client's exchange value: KEXDH_INIT e, KEX_ECDH_INIT Q_C, KEX_DH_GEX_INIT e (all SSH strings on the wire).
struct KexPublic {
  Blob value;                   ///< the string's body: an mpint magnitude or an encoded point / key
  std::optional<unsigned> bits; ///< for Diffie-Hellman values, the mpint's size
};

/// The server's reply: KEXDH_REPLY, KEX_ECDH_REPLY, KEX_DH_GEX_REPLY.
struct KexReply {
  HostKey host_key;
  Blob value;                   ///< f or Q_S
  std::optional<unsigned> bits; ///< for Diffie-Hellman values, the mpint's size
  Signature signature;
};

/// KEX_DH_GEX_REQUEST (min, n, max) or KEX_DH_GEX_REQUEST_OLD (n only).
struct GexRequest {
  std::optional<U32> min;
  U32 preferred;
  std::optional<U32> max;
};

/// KEX_DH_GEX_GROUP: the safe prime and generator the server chose.
struct GexGroup {
  Blob prime;
  unsigned prime_bits = 0;
  Blob generator;
};

/// SSH_MSG_USERAUTH_REQUEST. A password is never kept: only where it was and how long.
struct UserauthRequest {
  Text user;
  Text service;
  Text method;                    ///< "none", "password", "publickey", "keyboard-interactive", "hostbased", …
  std::optional<Flag> flag;       ///< password: change request; publickey: a signature follows
  std::optional<At<std::size_t>> password;      ///< where the password sat; value = its length in bytes
  std::optional<At<std::size_t>> new_password;  ///< likewise, for a password change
  std::optional<Text> algorithm;  ///< publickey / hostbased: the public key algorithm
  std::optional<HostKey> key;     ///< publickey / hostbased: the key blob
  std::optional<Signature> signature;
  std::optional<Text> language;   ///< keyboard-interactive
  std::optional<Text> submethods; ///< keyboard-interactive
  std::optional<Blob> rest;       ///< method-specific bytes of methods not decoded here
};

/// SSH_MSG_USERAUTH_FAILURE.
struct UserauthFailure {
  Names methods;  ///< authentications that can continue
  Flag partial_success;
};

/// SSH_MSG_USERAUTH_BANNER.
struct UserauthBanner {
  Text message;
  Text language;
};

/// SSH_MSG_USERAUTH_PK_OK (60 under publickey): the server would accept this key.
struct PkOk {
  Text algorithm;
  HostKey key;
};

/// SSH_MSG_USERAUTH_PASSWD_CHANGEREQ (60 under password): the password has expired.
struct PasswordChangeRequest {
  Text prompt;
  Text language;
};

/// One prompt of SSH_MSG_USERAUTH_INFO_REQUEST.
struct Prompt {
  Text text;
  Flag echo;
};

/// SSH_MSG_USERAUTH_INFO_REQUEST (60 under keyboard-interactive, RFC 4256).
struct InfoRequest {
  Text name;
  Text instruction;
  Text language;
  U32 count;
  std::vector<Prompt> prompts;
};

/// SSH_MSG_USERAUTH_INFO_RESPONSE (61): answers are secrets, so only where they sat and their lengths are kept.
struct InfoResponse {
  U32 count;
  std::vector<At<std::size_t>> responses;
};

/// SSH_MSG_GLOBAL_REQUEST.
struct GlobalRequest {
  Text name;  ///< e.g. "tcpip-forward", "hostkeys-00@openssh.com", "keepalive@openssh.com"
  Flag want_reply;
  Blob data;                    ///< request-specific bytes
  std::vector<HostKey> host_keys;  ///< hostkeys-00@openssh.com / hostkeys-prove-00@openssh.com: the keys sent
};

/// SSH_MSG_REQUEST_SUCCESS: request-specific bytes (a bound port, host key proofs …).
struct RequestSuccess {
  Blob data;
};

/// SSH_MSG_CHANNEL_OPEN.
struct ChannelOpen {
  Text type;  ///< "session", "direct-tcpip", "x11", …
  U32 sender;
  U32 window;
  U32 max_packet;
  Blob extra;  ///< type-specific bytes
};

/// SSH_MSG_CHANNEL_OPEN_CONFIRMATION.
struct ChannelOpenConfirmation {
  U32 recipient;
  U32 sender;
  U32 window;
  U32 max_packet;
  Blob extra;
};

/// SSH_MSG_CHANNEL_OPEN_FAILURE.
struct ChannelOpenFailure {
  U32 recipient;
  U32 reason;
  std::string reason_name;  ///< from the registry; empty for an unregistered code
  Text description;
  Text language;
};

/// SSH_MSG_CHANNEL_REQUEST.
struct ChannelRequest {
  U32 recipient;
  Text type;  ///< "pty-req", "exec", "subsystem", vendor names …
  Flag want_reply;
  Blob extra;  ///< type-specific bytes
};

/// SSH_MSG_CHANNEL_DATA and SSH_MSG_CHANNEL_EXTENDED_DATA. describe() shows only the size of the data.
struct ChannelData {
  U32 recipient;
  std::optional<U32> data_type;  ///< EXTENDED_DATA only (1 = stderr)
  Blob data;
};

/// SSH_MSG_CHANNEL_WINDOW_ADJUST.
struct ChannelWindowAdjust {
  U32 recipient;
  U32 bytes;
};

/// SSH_MSG_CHANNEL_EOF, CLOSE, SUCCESS and FAILURE: only the channel they are about.
struct ChannelRef {
  U32 recipient;
};

/// A message with no fields (NEWKEYS, USERAUTH_SUCCESS, REQUEST_FAILURE).
struct Empty {};

/// A message this codec does not decode field by field: unknown, local extension (192–255), or not yet modelled.
struct Generic {
  Blob body;
};

/// The decoded body of a message; which one follows from the number and the context.
using Body = std::variant<Generic, Empty, Disconnect, Ignore, Unimplemented, Debug, Service, ExtInfo, Kexinit, KexPublic,
                          KexReply, GexRequest, GexGroup, UserauthRequest, UserauthFailure, UserauthBanner,
                          PkOk, PasswordChangeRequest, InfoRequest, InfoResponse, GlobalRequest, RequestSuccess,
                          ChannelOpen, ChannelOpenConfirmation, ChannelOpenFailure, ChannelRequest, ChannelData,
                          ChannelWindowAdjust, ChannelRef>;

/// One message: number, its registry name, its layer, the decoded body and the raw payload beside it.
struct Message {
  At<std::uint8_t> number;
  std::string name;   ///< registry name, "KEXDH_INIT/KEX_ECDH_INIT" when the kex is unknown, "UNKNOWN_<n>" when unassigned
  std::string layer;  ///< transport, kex, userauth, connection, reserved, local-extension
  bool registered = false;  ///< the number has a row in the registry
  Body body;
  ByteVec payload;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// What a decoder must know to read numbers whose meaning depends on the negotiated method.
struct Context {
  KexFamily kex = KexFamily::unknown;  ///< decides 30–34
  std::string auth_method;             ///< the method last requested ("publickey", "password", …); decides 60–61
};

/// Parses one message payload (the packet's payload: message number first).
Result<Message> parse_message(Bytes payload, std::size_t base = 0, const Context& context = {});

}  // namespace sd::ssh
