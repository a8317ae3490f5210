// The SSH code-point registries (message numbers, disconnect reasons, algorithms), read from
// data/registry/ssh-*.tsv. The TSV files are compiled into the binary with sd_embed and parsed once, on
// first use, into tables: simpler than a generator, the data stays the one source, and a unit test checks
// every row so a bad edit fails the build's tests rather than a user's run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sd::ssh {

/// How a key exchange method shapes its messages 30–34.
enum class KexFamily { unknown, dh, ecdh, gex, rsa };

/// One message number; overloaded numbers (30–34, 60–61) have one row per family.
struct MessageInfo {
  std::uint8_t number = 0;
  std::string name;    ///< e.g. "KEXINIT"
  std::string family;  ///< "-" or the kex family / auth method giving the number its meaning
  std::string layer;   ///< transport, kex, userauth, connection, local-extension
  std::string source;
};

/// A range of message numbers (RFC 4250 §4.1.1).
struct RangeInfo {
  std::uint8_t first = 0;
  std::uint8_t last = 0;
  std::string layer;
  std::string meaning;
  std::string source;
};

/// One SSH_MSG_DISCONNECT or SSH_MSG_CHANNEL_OPEN_FAILURE reason code.
struct ReasonInfo {
  std::uint32_t code = 0;
  std::string name;  ///< e.g. "KEY_EXCHANGE_FAILED"
  std::string meaning;
  std::string source;
};

/// One algorithm name with what is known about it.
struct AlgorithmInfo {
  std::string name;
  std::string kind;      ///< kex, hostkey, cipher, mac, compression
  std::string family;    ///< see the header of data/registry/ssh-algorithms.tsv
  std::string strength;  ///< ok, caution, weak, broken, marker
  std::string notes;
  std::string source;
};

/// Every message row, in file order.
const std::vector<MessageInfo>& message_table();
/// Every range row, in file order.
const std::vector<RangeInfo>& range_table();
/// Every disconnect reason row, in file order.
const std::vector<ReasonInfo>& reason_table();
/// Every channel-open failure reason row, in file order.
const std::vector<ReasonInfo>& channel_failure_table();
/// Every algorithm row, in file order.
const std::vector<AlgorithmInfo>& algorithm_table();

/// The row for a number under a family ("" or "-" picks the unambiguous row); nullptr when unknown.
const MessageInfo* find_message(std::uint8_t number, std::string_view family = {});
/// Every row for a number (several when the number is overloaded).
std::vector<const MessageInfo*> find_messages(std::uint8_t number);
/// The range a number falls in; nullptr for 0.
const RangeInfo* find_range(std::uint8_t number);
/// The disconnect reason row; nullptr when the code is not registered.
const ReasonInfo* find_reason(std::uint32_t code);
/// The channel-open failure reason row; nullptr when the code is not registered.
const ReasonInfo* find_channel_failure(std::uint32_t code);
/// The algorithm row for a name of a kind; nullptr when unknown.
const AlgorithmInfo* find_algorithm(std::string_view name, std::string_view kind);
/// The message shape of a key exchange method, from its family column.
KexFamily kex_family(std::string_view kex_name);
/// The registry spelling of a family ("dh", "ecdh", "gex", "rsa"; "" for unknown).
std::string_view family_name(KexFamily family);

}  // namespace sd::ssh
