// Test helper: a captured ClientHello (one record, as hex or bytes) compared with a client profile, fact by fact.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/bytes.h"
#include "tlsprofiles/profiles.h"
#include "wire/tls/messages.h"

namespace sd::tlsprofiles::test {

/// The hello a record carries, with the record's version; nullopt (and a test failure) when it does not parse.
struct CapturedHello {
  std::uint16_t record_version = 0;
  tls::ClientHello hello;
};
std::optional<CapturedHello> parse_hello_record(Bytes record);

/// The (group, public value) pairs of a hello's key_share extension, GREASE included.
std::vector<std::pair<std::uint16_t, ByteVec>> key_shares_of(const tls::ClientHello& hello);

/// Every hello fact of the profile (versions, suites in order, extensions in order, groups, key shares,
/// signature schemes) against the capture; GREASE values in the capture are ignored.
void expect_profile_matches(const ClientProfile& profile, const CapturedHello& captured);

/// The bytes of a committed vector tests/vectors/profiles/tls/<id>.hex (one hex record; '#' lines are comments).
std::optional<ByteVec> vector_bytes(const std::string& id);

/// The bytes of tests/unit/tlsprofiles/captures/<name>.hex (hellos captured by third parties or from a library
/// given a client's settings; same format); empty and a test failure when it cannot be read.
ByteVec capture_bytes(const std::string& name);

/// The profile matches the captured record fact by fact, and hello_for() rebuilds it byte for byte once the values
/// a client draws afresh (random, session id, key share values) are taken from the capture.
void expect_rebuilds(const ClientProfile& profile, const ByteVec& record);

}  // namespace sd::tlsprofiles::test
