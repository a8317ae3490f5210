// libFuzzer target for the SSH codec. The first byte picks what the rest is read as:
//   low two bits 0: a stream from its start (identification line, then packets until NEWKEYS)
//                1: one message payload, with the kex family (bits 2-4) deciding numbers 30-34
//                   and the auth method (bits 5-6) deciding 60-61
//                2: a public key blob     3: a signature blob
// Every successful parse is also described, so the Field builders see the same inputs.
#include <cstddef>
#include <cstdint>

#include "wire/ssh/ssh.h"

namespace {

using namespace sd::ssh;

void fuzz_stream(sd::Bytes data) {
  const Transcript t = read_transcript(data);
  if (t.identification) describe(*t.identification);
  for (const auto& p : t.packets) describe(p);
  for (const auto& m : t.messages) describe(m);
  for (std::size_t i = 1; i < t.messages.size(); ++i) {
    const auto* a = std::get_if<Kexinit>(&t.messages[i - 1].body);
    const auto* b = std::get_if<Kexinit>(&t.messages[i].body);
    if (a && b) negotiate(*a, *b);
  }
}

void fuzz_message(sd::Bytes data, std::uint8_t selector) {
  static constexpr const char* kMethods[] = {"", "publickey", "password", "keyboard-interactive"};
  const Context context{static_cast<KexFamily>(((selector >> 2) & 7) % 5), kMethods[(selector >> 5) & 3]};
  const auto m = parse_message(data, 0, context);
  if (m) describe(*m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const sd::Bytes rest(data + 1, size - 1);
  switch (selector & 3) {
    case 0: fuzz_stream(rest); break;
    case 1: fuzz_message(rest, selector); break;
    case 2:
      if (const auto k = parse_host_key(rest)) describe(*k);
      break;
    default:
      if (const auto s = parse_signature(rest)) describe(*s);
      break;
  }
  return 0;
}
