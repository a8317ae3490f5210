// Builders for the messages a client sends; each returns a message payload (frame it with frame_packet).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "wire/ssh/messages.h"

namespace sd::ssh {

/// What a KEXINIT offers: the cookie and the ten name-lists in wire order.
struct KexinitOffer {
  std::array<std::uint8_t, 16> cookie{};  ///< callers put random bytes here
  std::array<std::vector<std::string>, kKexListCount> lists;
  bool first_kex_packet_follows = false;
  /// One of the ten lists, for filling in.
  std::vector<std::string>& list(KexList which) { return lists[static_cast<std::size_t>(which)]; }
};

/// "SSH-2.0-<software>[ <comments>]\r\n".
ByteVec write_identification(std::string_view software, std::string_view comments = {});
/// SSH_MSG_KEXINIT.
ByteVec write_kexinit(const KexinitOffer& offer);
/// SSH_MSG_KEX_ECDH_INIT with the client's public key / point Q_C.
ByteVec write_kex_ecdh_init(Bytes public_key);
/// SSH_MSG_KEXDH_INIT with e, given as big-endian magnitude (encoded as an mpint).
ByteVec write_kexdh_init(Bytes e_magnitude);
/// SSH_MSG_KEX_DH_GEX_REQUEST with the group sizes in bits.
ByteVec write_gex_request(std::uint32_t min, std::uint32_t preferred, std::uint32_t max);
/// SSH_MSG_SERVICE_REQUEST.
ByteVec write_service_request(std::string_view service);
/// SSH_MSG_USERAUTH_REQUEST with method "none" (asks the server which methods it accepts).
ByteVec write_userauth_none(std::string_view user, std::string_view service = "ssh-connection");
/// SSH_MSG_IGNORE.
ByteVec write_ignore(Bytes data);
/// SSH_MSG_DEBUG.
ByteVec write_debug(bool always_display, std::string_view message, std::string_view language = {});
/// SSH_MSG_UNIMPLEMENTED naming the sequence number of the packet not understood.
ByteVec write_unimplemented(std::uint32_t sequence);
/// SSH_MSG_DISCONNECT.
ByteVec write_disconnect(std::uint32_t reason, std::string_view description, std::string_view language = {});
/// SSH_MSG_GLOBAL_REQUEST with request-specific bytes.
ByteVec write_global_request(std::string_view name, bool want_reply, Bytes data = {});
/// SSH_MSG_CHANNEL_OPEN for a "session" channel.
ByteVec write_channel_open_session(std::uint32_t sender, std::uint32_t window, std::uint32_t max_packet);
/// SSH_MSG_CHANNEL_REQUEST with request-specific bytes.
ByteVec write_channel_request(std::uint32_t recipient, std::string_view type, bool want_reply, Bytes data = {});
/// SSH_MSG_CHANNEL_CLOSE.
ByteVec write_channel_close(std::uint32_t recipient);
/// Any message number with a caller-built body (unknown numbers, local extensions 192–255).
ByteVec write_message(std::uint8_t number, Bytes body = {});
/// An mpint (RFC 4251 §5) of a non-negative big-endian magnitude: leading zeros dropped, a 0 byte added when the top bit is set.
ByteVec encode_mpint(Bytes magnitude);

}  // namespace sd::ssh
