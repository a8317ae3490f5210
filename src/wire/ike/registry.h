// IKEv2 code points (IANA "IKEv2 Parameters") and known vendor IDs, loaded once from data/registry/ike-*.tsv.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace sd::ike {

/// One row of ike-code-points.tsv: a code in a named registry ("exchange", "payload", "encr", …).
struct CodePoint {
  std::string registry;
  std::uint64_t code = 0;
  std::string name;
  std::string label;   ///< short form used in message summaries ("SA", "KE"); may be empty
  std::string source;
};

/// One Diffie-Hellman / key exchange method with the size of its KE data in each direction.
struct DhGroup {
  std::uint16_t code = 0;
  std::string name;
  std::size_t initiator_ke_bytes = 0;
  std::size_t responder_ke_bytes = 0;
  std::string source;
};

/// One notify message type; error types are below 16384.
struct NotifyType {
  std::uint16_t code = 0;
  std::string name;
  bool error = false;
  std::string source;
};

/// A vendor ID that identifies an implementation when a received Vendor ID payload starts with prefix.
struct VendorId {
  std::string name;
  std::string vendor;
  ByteVec prefix;
  std::string note;
  std::string source;
};

/// A directory attribute that may appear in an ID_DER_ASN1_DN identity.
struct DnAttribute {
  std::string oid;   ///< dotted form, e.g. "2.5.4.3"
  std::string name;  ///< short name, e.g. "CN"
  std::string source;
};

/// Every row of the small registries.
std::span<const CodePoint> code_points();
/// Every DH / KE group.
std::span<const DhGroup> dh_groups();
/// Every notify type.
std::span<const NotifyType> notify_types();
/// Every known vendor ID.
std::span<const VendorId> vendor_ids();
/// Every named DN attribute.
std::span<const DnAttribute> dn_attributes();
/// The short name of a DN attribute OID ("CN"), or the dotted OID itself when it has none.
std::string dn_attribute_label(std::string_view dotted_oid);

/// The name of a code in a registry; empty when the code is not registered.
std::string_view code_name(std::string_view registry, std::uint64_t code);
/// The name, or "UNKNOWN(<code>)" when the code is not registered.
std::string code_label(std::string_view registry, std::uint64_t code);
/// The code of a registered name, when there is one.
std::optional<std::uint64_t> code_of(std::string_view registry, std::string_view name);
/// The short label of a payload type ("SA", "N", "SK"); the full name or UNKNOWN(<code>) otherwise.
std::string payload_label(std::uint8_t type);
/// The registry naming the IDs of a transform type: "encr", "prf", "integ", "dh" or "esn"; empty if none.
std::string_view transform_registry(std::uint8_t transform_type);
/// The name of a transform ID within its transform type, or UNKNOWN(<id>).
std::string transform_id_label(std::uint8_t transform_type, std::uint16_t id);

/// The DH group with this code, or nullptr.
const DhGroup* dh_group(std::uint16_t code);
/// The group's name, or UNKNOWN(<code>).
std::string dh_group_label(std::uint16_t code);
/// The notify type with this code, or nullptr.
const NotifyType* notify_type(std::uint16_t code);
/// The notify type's name, or UNKNOWN_ERROR(<code>) / UNKNOWN_STATUS(<code>) / PRIVATE_USE(<code>).
std::string notify_label(std::uint16_t code);
/// The known vendor ID with the longest prefix of data, or nullptr.
const VendorId* match_vendor_id(Bytes data);

}  // namespace sd::ike
