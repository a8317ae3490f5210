// libFuzzer target for the SSH transport's packet protection and key exchange checks (src/wire/ssh crypto.h,
// kex_exchange.h, kex_hash.h). The first byte picks what the rest is:
//   0: a clear packet stream            1: a chacha20-poly1305 stream     2: an aes128-ctr + hmac-sha2-256 stream
//      (keys and first sequence numbers are those of tests/vectors/ssh/transport.tsv, so its packets open)
//   3: a payload sealed under each protection and opened again (must round-trip exactly)
//   4: a server's key exchange value for each method   5: host key and signature blobs split at the second byte
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>

#include "wire/ssh/crypto.h"
#include "wire/ssh/kex_exchange.h"
#include "wire/ssh/kex_hash.h"

namespace {

using namespace sd::ssh;

sd::ByteVec run_of(std::uint8_t first, std::size_t n) {
  sd::ByteVec v(n);
  std::iota(v.begin(), v.end(), first);
  return v;
}

PacketProtection protection(std::uint8_t which) {
  if (which == 1) {
    sd::ByteVec key = run_of(200, 56);
    const sd::ByteVec tail = run_of(0, 8);
    key.insert(key.end(), tail.begin(), tail.end());
    return PacketProtection(Protection::chacha20_poly1305, {.key = key}, 7);
  }
  if (which == 2)
    return PacketProtection(Protection::aes128_ctr_hmac_sha256,
                            {.iv = run_of(16, 16), .key = run_of(0, 16), .mac = run_of(32, 32)}, 3);
  return PacketProtection{};
}

void open_stream(std::uint8_t which, sd::Bytes data) {
  PacketProtection in = protection(which);
  for (int i = 0; i < 64 && !data.empty(); ++i) {
    (void)in.frame_size(data);
    const auto opened = in.open(data);
    if (!opened) return;
    data = data.subspan(opened->size);
  }
}

void round_trip(sd::Bytes payload) {
  for (std::uint8_t which = 0; which < 3; ++which) {
    PacketProtection out = protection(which);
    PacketProtection in = protection(which);
    const sd::ByteVec sealed = out.seal(payload);
    const auto opened = in.open(sealed);
    if (!opened || opened->size != sealed.size() || opened->payload != sd::ByteVec(payload.begin(), payload.end()))
      __builtin_trap();
  }
}

void agree(sd::Bytes value) {
  for (const auto method : {KexMethod::curve25519_sha256, KexMethod::ecdh_nistp256, KexMethod::dh_group14_sha256}) {
    static const auto pairs = [] {
      return std::array{KexKeyPair::generate(KexMethod::curve25519_sha256),
                        KexKeyPair::generate(KexMethod::ecdh_nistp256),
                        KexKeyPair::generate(KexMethod::dh_group14_sha256)};
    }();
    const auto& pair = pairs[static_cast<std::size_t>(method)];
    if (pair) (void)pair->shared_secret(value);
  }
}

void verify(sd::Bytes data) {
  if (data.empty()) return;
  const std::size_t split = std::min<std::size_t>(data[0], data.size() - 1);
  const sd::Bytes rest = data.subspan(1);
  const sd::ByteVec h(32, 0x11);
  (void)verify_host_signature(rest.first(split), rest.subspan(split), h);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0] % 6;
  const sd::Bytes rest(data + 1, size - 1);
  if (selector <= 2)
    open_stream(selector, rest);
  else if (selector == 3 && rest.size() <= 4096)
    round_trip(rest);
  else if (selector == 4)
    agree(rest);
  else
    verify(rest);
  return 0;
}
