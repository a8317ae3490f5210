// libFuzzer target for the TLS codec and the decode layer: record stream, SSLv2 hello, handshake messages under
// each context, field descriptions, and the decode layer on the bytes as a dump and as text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/decode/decode.h"
#include "wire/tls/describe.h"
#include "wire/tls/extensions.h"
#include "wire/tls/parse.h"
#include "wire/tls/plaintext.h"

namespace {

void handshakes(sd::Bytes data, const sd::tls::Context& ctx) {
  sd::Reader in = sd::Reader::stream(data);
  for (int i = 0; i < 64 && !in.empty(); ++i) {
    auto hs = sd::tls::read_handshake(in, ctx);
    if (!hs) return;
    (void)sd::tls::describe(*hs);
  }
}

void records(sd::Bytes data) {
  sd::Reader in = sd::Reader::stream(data);
  for (int i = 0; i < 64 && !in.empty(); ++i) {
    auto rec = sd::tls::read_record(in);
    if (!rec) return;
    (void)sd::tls::describe(*rec);
    if (rec->content_type == sd::tls::code::kHandshake) handshakes(rec->fragment, {});
    if (rec->content_type == sd::tls::code::kAlert)
      if (auto alerts = sd::tls::parse_alerts(sd::Reader::bounded(rec->fragment)))
        for (const auto& a : *alerts) (void)sd::tls::describe(a);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sd::Bytes bytes(data, size);
  records(bytes);
  handshakes(bytes, {});
  handshakes(bytes, {0x0303, 0xc02f});
  handshakes(bytes, {0x0303, 0x009e});
  handshakes(bytes, {0x0301, std::nullopt});
  handshakes(bytes, {0x0304, 0x1301});
  sd::Reader v2 = sd::Reader::stream(bytes);
  if (auto hello = sd::tls::read_sslv2_client_hello(v2)) (void)sd::tls::describe(*hello);
  (void)sd::tls::classify_plaintext(bytes);

  sd::hexdump::Dump dump;
  dump.format = "plain";
  dump.bytes.assign(data, data + size);
  dump.byte_lines.assign(size, 1);
  sd::decode::Session session;
  const auto messages = session.decode(dump);
  (void)session.decode(dump);  // a second dump may be joined with a lone record header
  (void)sd::decode::findings(messages, "fuzz");
  for (const auto& m : messages) (void)sd::decode::summary_field(m);
  (void)sd::decode::decode_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
