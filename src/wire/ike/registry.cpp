#include "wire/ike/registry.h"

#include <charconv>
#include <map>
#include <vector>

#include "core/embedded.h"

std::span<const sd::EmbeddedFile> sd_ike_registry_files();

namespace sd::ike {
namespace {

using Row = std::map<std::string, std::string, std::less<>>;

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find(sep, start);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    out.push_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return out;
}

// Rows of an embedded TSV file, keyed by the names in its header row.
std::vector<Row> rows_of(std::string_view file_name) {
  std::vector<Row> rows;
  for (const auto& f : sd_ike_registry_files()) {
    if (!f.path.ends_with(file_name)) continue;
    auto lines = split(f.content, '\n');
    if (lines.empty()) return rows;
    const auto header = split(lines.front(), '\t');
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      const auto cells = split(lines[i], '\t');
      Row row;
      for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) row.emplace(header[c], cells[c]);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::uint64_t number(const Row& row, std::string_view key) {
  const auto it = row.find(key);
  std::uint64_t v = 0;
  if (it != row.end()) std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return v;
}

std::string text(const Row& row, std::string_view key) {
  const auto it = row.find(key);
  return it == row.end() ? std::string{} : it->second;
}

struct Tables {
  std::vector<CodePoint> codes;
  std::vector<DhGroup> groups;
  std::vector<NotifyType> notifies;
  std::vector<VendorId> vendors;
  std::vector<DnAttribute> dn;
};

Tables load() {
  Tables t;
  for (const auto& r : rows_of("ike-code-points.tsv"))
    t.codes.push_back({text(r, "registry"), number(r, "code"), text(r, "name"), text(r, "label"), text(r, "source")});
  for (const auto& r : rows_of("ike-dh-groups.tsv"))
    t.groups.push_back({static_cast<std::uint16_t>(number(r, "code")), text(r, "name"), number(r, "initiator_ke_bytes"),
                        number(r, "responder_ke_bytes"), text(r, "source")});
  for (const auto& r : rows_of("ike-notify-types.tsv"))
    t.notifies.push_back(
        {static_cast<std::uint16_t>(number(r, "code")), text(r, "name"), text(r, "kind") == "error", text(r, "source")});
  for (const auto& r : rows_of("ike-vendor-ids.tsv"))
    t.vendors.push_back({text(r, "name"), text(r, "vendor"), from_hex(text(r, "prefix_hex")).value_or(ByteVec{}),
                         text(r, "note"), text(r, "source")});
  for (const auto& r : rows_of("ike-dn-attributes.tsv")) t.dn.push_back({text(r, "oid"), text(r, "name"), text(r, "source")});
  return t;
}

const Tables& tables() {
  static const Tables t = load();
  return t;
}

std::string unknown(std::uint64_t code) { return "UNKNOWN(" + std::to_string(code) + ")"; }

}  // namespace

std::span<const CodePoint> code_points() { return tables().codes; }
std::span<const DhGroup> dh_groups() { return tables().groups; }
std::span<const NotifyType> notify_types() { return tables().notifies; }
std::span<const VendorId> vendor_ids() { return tables().vendors; }
std::span<const DnAttribute> dn_attributes() { return tables().dn; }

std::string dn_attribute_label(std::string_view dotted_oid) {
  for (const auto& a : tables().dn)
    if (a.oid == dotted_oid) return a.name;
  return std::string(dotted_oid);
}

std::string_view code_name(std::string_view registry, std::uint64_t code) {
  for (const auto& c : tables().codes)
    if (c.code == code && c.registry == registry) return c.name;
  return {};
}

std::string code_label(std::string_view registry, std::uint64_t code) {
  const auto name = code_name(registry, code);
  return name.empty() ? unknown(code) : std::string(name);
}

std::optional<std::uint64_t> code_of(std::string_view registry, std::string_view name) {
  for (const auto& c : tables().codes)
    if (c.name == name && c.registry == registry) return c.code;
  return std::nullopt;
}

std::string payload_label(std::uint8_t type) {
  for (const auto& c : tables().codes)
    if (c.code == type && c.registry == "payload") return c.label.empty() ? c.name : c.label;
  return unknown(type);
}

std::string_view transform_registry(std::uint8_t transform_type) {
  switch (transform_type) {
    case 1: return "encr";
    case 2: return "prf";
    case 3: return "integ";
    case 5: return "esn";
    default: return (transform_type == 4 || (transform_type >= 6 && transform_type <= 12)) ? "dh" : "";
  }
}

std::string transform_id_label(std::uint8_t transform_type, std::uint16_t id) {
  const auto registry = transform_registry(transform_type);
  if (registry == "dh") return dh_group_label(id);
  return code_label(registry, id);
}

const DhGroup* dh_group(std::uint16_t code) {
  for (const auto& g : tables().groups)
    if (g.code == code) return &g;
  return nullptr;
}

std::string dh_group_label(std::uint16_t code) {
  const auto* g = dh_group(code);
  return g ? g->name : unknown(code);
}

const NotifyType* notify_type(std::uint16_t code) {
  for (const auto& n : tables().notifies)
    if (n.code == code) return &n;
  return nullptr;
}

std::string notify_label(std::uint16_t code) {
  if (const auto* n = notify_type(code)) return n->name;
  const std::string n = std::to_string(code);
  if (code >= 40960) return "PRIVATE_USE_STATUS(" + n + ")";
  if (code >= 8192 && code < 16384) return "PRIVATE_USE_ERROR(" + n + ")";
  return (code < 16384 ? "UNKNOWN_ERROR(" : "UNKNOWN_STATUS(") + n + ")";
}

const VendorId* match_vendor_id(Bytes data) {
  const VendorId* best = nullptr;
  for (const auto& v : tables().vendors) {
    if (v.prefix.empty() || v.prefix.size() > data.size()) continue;
    if (!std::equal(v.prefix.begin(), v.prefix.end(), data.begin())) continue;
    if (!best || v.prefix.size() > best->prefix.size()) best = &v;
  }
  return best;
}

}  // namespace sd::ike
