// libFuzzer target for the IKE codec: any datagram must parse or fail cleanly, and a parsed message must
// describe itself with fields inside the datagram and survive being written back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "wire/ike/describe.h"
#include "wire/ike/write.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

// Every field lies inside the bytes the message came from.
void check_field(const sd::Field& f, std::size_t size) {
  require(f.offset + f.length <= size);
  for (const auto& c : f.children) check_field(c, size);
}

void check(const sd::Result<sd::ike::Message>& m, std::size_t size) {
  if (!m.ok()) {
    require(m.error().offset <= size);
    require(!m.error().path.empty() && !m.error().code.empty());
    return;
  }
  require(m->payloads.size() <= sd::ike::kMaxPayloads);
  require(m->raw.size() == m->header.length);
  require(!m->ikev1_error || m->ikev1_error->offset <= size);
  check_field(sd::ike::describe(*m), size);
  (void)sd::ike::observations(*m);
}

// A parsed IKEv2 message rebuilt from its raw payload bodies parses again with the same chain.
void round_trip(const sd::ike::Message& m) {
  if (m.ikev1()) return;
  std::vector<sd::ike::OutPayload> out;
  for (const auto& p : m.payloads) {
    const sd::Bytes raw(m.raw);
    const std::size_t base = m.non_esp_marker ? 4 : 0;
    sd::ike::OutPayload o{p.type, {}, p.critical, 0};
    const auto body = raw.subspan(p.offset - base + 4, p.length - 4);
    o.body.assign(body.begin(), body.end());
    o.inner_next = m.raw[p.offset - base];
    out.push_back(std::move(o));
  }
  const auto again = sd::ike::parse_datagram(sd::ike::write_message(m.header, out));
  require(again.ok());
  require(again->payloads.size() == m.payloads.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sd::Bytes bytes(data, size);
  const auto at = sd::ike::ike_header_offset(bytes);
  require(!at || *at == 0 || *at == 4);
  const auto datagram = sd::ike::parse_datagram(bytes);
  check(datagram, size);
  if (datagram.ok()) round_trip(*datagram);
  check(sd::ike::parse_message(bytes), size);
  const auto nat_t = sd::ike::parse_nat_t_datagram(bytes);
  check(nat_t, size);
  if (nat_t.ok()) round_trip(*nat_t);
  return 0;
}
