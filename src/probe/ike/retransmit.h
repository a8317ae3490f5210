// What a responder does with a half-open IKE SA: the probe answers nothing after IKE_SA_INIT, re-sends its request
// unchanged and listens (RFC 7296 2.1: only the initiator retransmits; a responder answers a retransmitted request
// with the response it already sent, and forgets a half-open SA after its own timeout).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "probe/engine/engine.h"
#include "report/report.h"
#include "wire/ike/message.h"
#include "wire/ike/write.h"

namespace sd::probe::ike {

/// The observations of one half-open check: 1 request, then at most 2 re-sends of the same datagram, the first a
/// moment after the answer, the second after a listening window.
struct RetransmitCheck {
  std::string skipped;    ///< why the check stopped before the re-sends (no answer, COOKIE …); empty when it ran
  ByteVec first;          ///< the IKE message that answered the request
  Millis settle{0};       ///< how long after the first answer the first copy was sent
  ByteVec resent;         ///< the answer to that first copy; empty when none came in time
  ByteVec late;           ///< the answer to the re-send after the listening window; empty when none came in time
  unsigned unsolicited = 0;  ///< datagrams the responder sent unasked while the probe listened
  Millis window{0};       ///< how long the probe listened between the two re-sends
  unsigned sent = 0;      ///< datagrams sent
  unsigned received = 0;  ///< datagrams received
};

/// The proposal and KE group of a positive IKE_SA_INIT answer (the transforms the responder chose), if it has them.
std::optional<std::pair<sd::ike::ProposalSpec, std::uint16_t>> chosen_offer(const sd::ike::Message& accept);

/// Runs the check offering `proposal` with `ke_group`; `timeout` bounds each read, `window` is the listening time.
RetransmitCheck check_retransmission(Engine& engine, const Target& target, const sd::ike::ProposalSpec& proposal,
                                     std::uint16_t ke_group, Millis timeout, Millis window);

/// One sentence per observation, in order: the first re-send, unsolicited datagrams, the re-send after the window.
std::vector<std::string> retransmit_verdicts(const RetransmitCheck& check);

/// The report section for the check (kind "probe"): the verdicts and the evidence (sizes, SPIs, first bytes).
report::Section retransmit_section(const RetransmitCheck& check, const std::string& source);

}  // namespace sd::probe::ike
