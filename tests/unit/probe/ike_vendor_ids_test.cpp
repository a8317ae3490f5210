// The IKE vendor-ID table (data/registry/ike-vendor-ids.tsv) as the probe uses it: every vendor the issue names is
// recognised from the bytes its software sends, hashed IDs equal the MD5 of the text their note names, and ASCII IDs
// read as that text.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <set>
#include <string>

#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

ByteVec ascii(std::string_view text) { return ByteVec(text.begin(), text.end()); }

ByteVec hex(std::string_view text) { return from_hex(text).value(); }

std::string vendor_of(const ByteVec& data) {
  const VendorId* v = match_vendor_id(data);
  return v ? v->vendor : "(none)";
}

std::string name_of(const ByteVec& data) {
  const VendorId* v = match_vendor_id(data);
  return v ? v->name : "(none)";
}

ByteVec md5(std::string_view text) {
  ByteVec out(16);
  unsigned size = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_md5(), nullptr);
  out.resize(size);
  return out;
}

TEST(IkeVendorIds, StrongSwanAndLibreswan) {
  // charon with send_vendor_id = yes sends MD5("strongSwan") (captured in the probe's live tests).
  EXPECT_EQ(name_of(hex("882fe56d6fd20dbc2251613b2ebe5beb")), "strongSwan");
  EXPECT_EQ(vendor_of(ascii("OE-Libreswan-4.12")), "Libreswan");
  EXPECT_EQ(vendor_of(ascii("OE-Libreswan-5.0")), "Libreswan");
}

TEST(IkeVendorIds, CiscoIosAsaAndFlexVpn) {
  EXPECT_EQ(name_of(ascii("FLEXVPN-SUPPORTED")), "Cisco FlexVPN");
  EXPECT_EQ(name_of(ascii("CISCO-DELETE-REASON")), "Cisco Delete Reason");
  EXPECT_EQ(name_of(ascii("CISCO-DYNAMIC-ROUTE")), "Cisco Dynamic Route");
  EXPECT_EQ(name_of(ascii("CISCOVPN-REV-02")), "Cisco VPN revision 02");
  EXPECT_EQ(name_of(ascii("CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.")), "Cisco IOS copyright");
  EXPECT_EQ(name_of(hex("12f5f28c457168a9702d9fe274cc0100")), "Cisco Unity");
  EXPECT_EQ(vendor_of(hex("1f07f70eaa6514d3b0fa96542a500407")), "Cisco");
}

TEST(IkeVendorIds, WindowsVersionsAndAuthIp) {
  // MS NT5 ISAKMPOAKLEY followed by the 4-byte Windows version (9 = Windows 8 in ike-scan's list).
  EXPECT_EQ(name_of(hex("1e2b516905991c7d7c96fcbfb587e46100000009")), "Windows (MS NT5 ISAKMPOAKLEY)");
  EXPECT_EQ(name_of(hex("fb1de3cdf341b7ea16b7e5be0855f120")), "MS-Negotiation Discovery Capable");
  EXPECT_EQ(name_of(hex("214ca4faffa7f32d6748e5303395ae83")), "MS-MamieExists");
  EXPECT_EQ(name_of(hex("e3a5966a76379fe707228231e5ce8652")), "IKE CGA version 1");
  EXPECT_EQ(name_of(hex("26244d38eddb61b3172a36e3d0cfb819")), "Microsoft Initial-Contact");
}

TEST(IkeVendorIds, JuniperFortinetCheckPoint) {
  EXPECT_EQ(vendor_of(hex("699369228741c6d4ca094c93e242c9de19e7b7c60000000900000500")), "Juniper");
  EXPECT_EQ(vendor_of(hex("1d6e178f6c2c0be284985465450fe9d4")), "Fortinet");
  // Check Point appends product and version bytes to its 20-byte ID.
  EXPECT_EQ(vendor_of(hex("f4ed19e0c114eb516faaac0ee37daf2807b4381f00000001000000020000000000000000")), "Check Point");
}

TEST(IkeVendorIds, ShortOrForeignBytesMatchNothing) {
  EXPECT_EQ(match_vendor_id(hex("882fe56d6fd20dbc2251613b2ebe5b")), nullptr);  // one byte short of strongSwan
  EXPECT_EQ(match_vendor_id(ascii("CISCO")), nullptr);
  EXPECT_EQ(match_vendor_id(ByteVec{}), nullptr);
  EXPECT_EQ(match_vendor_id(hex("00112233445566778899aabbccddeeff")), nullptr);
}

// Every row whose note says "MD5 of the text X" really is MD5(X); every "ASCII text X" row is X's bytes.
TEST(IkeVendorIds, HashedAndAsciiRowsAgreeWithTheirNotes) {
  unsigned hashed = 0, texts = 0;
  for (const auto& v : vendor_ids()) {
    const auto& note = v.note;
    if (note.starts_with("MD5 of the text ")) {
      const auto text = note.substr(16, note.find_first_of(";(") - 16);
      const std::string trimmed = text.substr(0, text.find_last_not_of(' ') + 1);
      EXPECT_EQ(to_hex(md5(trimmed)), to_hex(v.prefix)) << v.name << ": MD5(" << trimmed << ")";
      ++hashed;
    }
    if (note.starts_with("ASCII text ") && note.find("…") == std::string::npos &&
        note.find('<') == std::string::npos) {
      const auto text = note.substr(11, note.find_first_of(",;") - 11);
      EXPECT_EQ(to_hex(ascii(text)), to_hex(v.prefix)) << v.name;
      ++texts;
    }
  }
  EXPECT_GE(hashed, 4u);
  EXPECT_GE(texts, 4u);
}

// The vendors the probe must name (issue 6): each has at least one row, and every row has a source.
TEST(IkeVendorIds, EveryNamedVendorHasARowWithASource) {
  std::set<std::string> vendors;
  for (const auto& v : vendor_ids()) {
    EXPECT_FALSE(v.source.empty()) << v.name;
    vendors.insert(v.vendor);
  }
  for (const char* wanted : {"strongSwan", "Libreswan", "Cisco", "Juniper", "Microsoft", "Fortinet", "Check Point"})
    EXPECT_TRUE(vendors.count(wanted)) << wanted;
}

}  // namespace
}  // namespace sd::ike
