// The ClientHello builder: its own extension order when the spec gives none, and an exact order with raw bodies.
#include <gtest/gtest.h>

#include "wire/tls/builder.h"

namespace sd::tls {
namespace {

/// The hex of the extension block of a built hello (after the 2-byte block length).
std::string extensions_hex(const ClientHelloSpec& spec) {
  const std::string hex = to_hex(build_client_hello(spec));
  // 4 header + 2 version + 32 random + 1 sid len + sid + 2 suites len + suites + 2 compression, + 2 block length
  const std::size_t prefix = 4 + 2 + 32 + 1 + spec.session_id.size() + 2 + 2 * spec.cipher_suites.size() + 2 + 2;
  return hex.substr(2 * prefix);
}

ClientHelloSpec small_spec() {
  ClientHelloSpec s;
  s.cipher_suites = {0x002f};
  s.supported_groups = {0x001d};
  s.extended_master_secret = true;
  s.renegotiation_info = true;
  return s;
}

TEST(Builder, WithoutAnOrderTheBuilderOrderIsUsed) {
  EXPECT_EQ(extensions_hex(small_spec()), "000a00040002001d" "00170000" "ff01000100");
}

TEST(Builder, AnOrderDecidesWhichExtensionsGoInAndWhere) {
  auto s = small_spec();
  s.extension_order = {{0xff01, std::nullopt}, {0x0031, std::nullopt}, {0x000a, std::nullopt}};
  // renegotiation_info first, post_handshake_auth (no generator: empty body), then groups; EMS is left out.
  EXPECT_EQ(extensions_hex(s), "ff01000100" "00310000" "000a00040002001d");
}

TEST(Builder, RawBodiesAreWrittenAsGiven) {
  auto s = small_spec();
  s.extension_order = {{0x0005, ByteVec{1, 0, 0, 0, 0}}, {0x000b, ByteVec{3, 0, 1, 2}}, {0x0015, ByteVec(3, 0)}};
  EXPECT_EQ(extensions_hex(s), "000500050100000000" "000b000403000102" "00150003000000");
}

TEST(Builder, AnOrderedHelloHasTheRightLengths) {
  auto s = small_spec();
  s.extension_order = {{0x0017, std::nullopt}};
  const std::string hex = to_hex(build_client_hello_record(s));
  // record: 16 0301 len; handshake 01 len24; body = 2+32+1+4+2+2+4 = 47 = 0x2f
  EXPECT_EQ(hex.substr(0, 18), "1603010033010000" "2f");
  EXPECT_EQ(hex.substr(hex.size() - 12), "000400170000");
}

}  // namespace
}  // namespace sd::tls
