// Distinguished names in ID_DER_ASN1_DN identities.
#include <gtest/gtest.h>

#include "vector_file.h"
#include "wire/ike/describe.h"
#include "wire/ike/dn.h"
#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

TEST(IkeDn, SubjectMadeByStrongSwanPki) {
  const ByteVec der = test::load_vector("id-der-asn1-dn");
  ASSERT_EQ(der.size(), 85u);
  EXPECT_EQ(dn_text(der), "C=CH, O=strongSwan Test, OU=IKE, CN=moon.strongswan.org");
  EXPECT_EQ(identity_text(9, der), "C=CH, O=strongSwan Test, OU=IKE, CN=moon.strongswan.org");
}

TEST(IkeDn, UnknownAttributesKeepTheirDottedOid) {
  // Name { SET { SEQUENCE { OID, UTF8String "x" } } }; 9999 takes two base-128 bytes (ce 0f).
  EXPECT_EQ(dn_text(from_hex("300f 310d 300b 0606 2b0601040102 0c01 78").value()), "1.3.6.1.4.1.2=x");
  EXPECT_EQ(dn_text(from_hex("3011 310f 300d 0608 2b0601040102ce0f 0c01 78").value()), "1.3.6.1.4.1.2.9999=x");
  // An arc whose last byte still has the continuation bit set is not an OID.
  EXPECT_EQ(dn_text(from_hex("3010 310e 300c 0607 2b0601040102ce 0c01 78").value()), std::nullopt);
}

TEST(IkeDn, BrokenDerFallsBackToHex) {
  const ByteVec truncated = from_hex("3053310b3009060355040613024348").value();
  EXPECT_EQ(dn_text(truncated), std::nullopt);
  EXPECT_EQ(identity_text(9, truncated), "3053310b3009060355040613024348");
  EXPECT_EQ(dn_text(from_hex("3000").value()), "");
  EXPECT_EQ(dn_text(from_hex("3100").value()), std::nullopt);
  EXPECT_EQ(dn_text(from_hex("30 84 00000000").value()), std::nullopt);
}

TEST(IkeDn, AttributeNamesHaveSources) {
  ASSERT_GE(dn_attributes().size(), 10u);
  for (const auto& a : dn_attributes()) {
    EXPECT_FALSE(a.name.empty()) << a.oid;
    EXPECT_FALSE(a.source.empty()) << a.oid;
  }
  EXPECT_EQ(dn_attribute_label("0.9.2342.19200300.100.1.25"), "DC");
}

}  // namespace
}  // namespace sd::ike
