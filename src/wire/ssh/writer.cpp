#include "wire/ssh/writer.h"

namespace sd::ssh {

namespace {

void put_string(Writer& w, Bytes b) {
  w.prefixed(4, [&](Writer& body) { body.bytes(b); });
}

void put_text(Writer& w, std::string_view s) {
  w.prefixed(4, [&](Writer& body) { body.text(s); });
}

void put_names(Writer& w, const std::vector<std::string>& names) {
  w.prefixed(4, [&](Writer& body) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) body.text(",");
      body.text(names[i]);
    }
  });
}

/// A message payload: its number, then what `fill` writes.
template <class Fill>
ByteVec payload(std::uint8_t number, Fill fill) {
  Writer w;
  w.u8(number);
  fill(w);
  return w.take();
}

}  // namespace

ByteVec encode_mpint(Bytes magnitude) {
  std::size_t skip = 0;
  while (skip < magnitude.size() && magnitude[skip] == 0) ++skip;
  const Bytes digits = magnitude.subspan(skip);
  Writer w;
  w.prefixed(4, [&](Writer& body) {
    if (!digits.empty() && (digits[0] & 0x80)) body.u8(0);
    body.bytes(digits);
  });
  return w.take();
}

ByteVec write_identification(std::string_view software, std::string_view comments) {
  std::string line = "SSH-2.0-" + std::string(software);
  if (!comments.empty()) line += " " + std::string(comments);
  line += "\r\n";
  return ByteVec(line.begin(), line.end());
}

ByteVec write_kexinit(const KexinitOffer& offer) {
  return payload(msg::kexinit, [&](Writer& w) {
    w.bytes(offer.cookie);
    for (const auto& list : offer.lists) put_names(w, list);
    w.u8(offer.first_kex_packet_follows ? 1 : 0);
    w.u32(0);
  });
}

ByteVec write_kex_ecdh_init(Bytes public_key) {
  return payload(msg::kex_30, [&](Writer& w) { put_string(w, public_key); });
}

ByteVec write_kexdh_init(Bytes e_magnitude) {
  return payload(msg::kex_30, [&](Writer& w) { w.bytes(encode_mpint(e_magnitude)); });
}

ByteVec write_gex_request(std::uint32_t min, std::uint32_t preferred, std::uint32_t max) {
  return payload(msg::gex_request, [&](Writer& w) {
    w.u32(min);
    w.u32(preferred);
    w.u32(max);
  });
}

ByteVec write_service_request(std::string_view service) {
  return payload(msg::service_request, [&](Writer& w) { put_text(w, service); });
}

ByteVec write_userauth_none(std::string_view user, std::string_view service) {
  return payload(msg::userauth_request, [&](Writer& w) {
    put_text(w, user);
    put_text(w, service);
    put_text(w, "none");
  });
}

ByteVec write_ignore(Bytes data) {
  return payload(msg::ignore, [&](Writer& w) { put_string(w, data); });
}

ByteVec write_debug(bool always_display, std::string_view message, std::string_view language) {
  return payload(msg::debug, [&](Writer& w) {
    w.u8(always_display ? 1 : 0);
    put_text(w, message);
    put_text(w, language);
  });
}

ByteVec write_unimplemented(std::uint32_t sequence) {
  return payload(msg::unimplemented, [&](Writer& w) { w.u32(sequence); });
}

ByteVec write_disconnect(std::uint32_t reason, std::string_view description, std::string_view language) {
  return payload(msg::disconnect, [&](Writer& w) {
    w.u32(reason);
    put_text(w, description);
    put_text(w, language);
  });
}

ByteVec write_global_request(std::string_view name, bool want_reply, Bytes data) {
  return payload(msg::global_request, [&](Writer& w) {
    put_text(w, name);
    w.u8(want_reply ? 1 : 0);
    w.bytes(data);
  });
}

ByteVec write_channel_open_session(std::uint32_t sender, std::uint32_t window, std::uint32_t max_packet) {
  return payload(msg::channel_open, [&](Writer& w) {
    put_text(w, "session");
    w.u32(sender);
    w.u32(window);
    w.u32(max_packet);
  });
}

ByteVec write_channel_request(std::uint32_t recipient, std::string_view type, bool want_reply, Bytes data) {
  return payload(msg::channel_request, [&](Writer& w) {
    w.u32(recipient);
    put_text(w, type);
    w.u8(want_reply ? 1 : 0);
    w.bytes(data);
  });
}

ByteVec write_channel_close(std::uint32_t recipient) {
  return payload(msg::channel_close, [&](Writer& w) { w.u32(recipient); });
}

ByteVec write_message(std::uint8_t number, Bytes body) {
  return payload(number, [&](Writer& w) { w.bytes(body); });
}

}  // namespace sd::ssh
