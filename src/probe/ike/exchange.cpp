// One IKE_SA_INIT exchange on one UDP socket: send, wait, resend on silence, answer a COOKIE or INVALID_KE_PAYLOAD.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fmt/format.h>

#include <memory>

#include "probe/ike/ike_probe.h"
#include "probe/ike/retransmit.h"
#include "wire/ike/describe.h"
#include "wire/ike/registry.h"

namespace sd::probe::ike {
namespace {

using namespace sd::ike;

/// The largest datagram read; IKE_SA_INIT answers are far smaller.
constexpr std::size_t kReadCap = 9000;

std::uint64_t random_spi() {
  std::uint64_t spi = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&spi), sizeof spi);
  return spi | 1;  // never zero
}

ByteVec random_bytes(std::size_t n) {
  ByteVec out(n);
  if (n > 0) RAND_bytes(out.data(), static_cast<int>(n));
  return out;
}

/// x || y of a fresh EC key on the named curve (RFC 5903 7), or empty on failure.
ByteVec ecp_public(const char* curve) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  if (key == nullptr) return {};
  ByteVec point(200);
  std::size_t size = 0;
  const int ok = EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                                 point.size(), &size);
  EVP_PKEY_free(key);
  if (ok != 1 || size < 1 || point[0] != 0x04) return {};
  return ByteVec(point.begin() + 1, point.begin() + static_cast<std::ptrdiff_t>(size));
}

const char* ecp_curve(std::uint16_t group) {
  switch (group) {
    case 19: return "P-256";
    case 20: return "P-384";
    case 21: return "P-521";
    default: return nullptr;
  }
}

SaInitRequest request_for(const ProposalSpec& proposal, std::uint16_t group) {
  SaInitRequest q;
  q.initiator_spi = random_spi();
  q.proposals = {proposal};
  q.ke_group = group;
  q.ke_data = ke_data_for(group);
  q.nonce = random_bytes(32);
  // Hashes that cannot match any address: the responder reports NAT detection either way.
  q.nat_source_hash = random_bytes(20);
  q.nat_destination_hash = random_bytes(20);
  q.signature_hashes = {2, 3, 4};
  return q;
}

/// True when the datagram answers the request with this initiator SPI.
bool answers(const Message& m, std::uint64_t spi) {
  return m.ikev1() || (m.header.response() && m.header.initiator_spi == spi);
}

struct Conversation {
  SaInitRequest request;
  ExchangePolicy policy;
  bool nat_t = false;
  ExchangeResult* result = nullptr;

  ByteVec datagram() const {
    const ByteVec message = write_sa_init_request(request);
    return nat_t ? with_non_esp_marker(message) : message;
  }

  Result<Message> parse(Bytes bytes) const { return nat_t ? parse_nat_t_datagram(bytes) : parse_datagram(bytes); }

  /// Reacts to one answer; returns true when the exchange is over.
  bool take(Message message) {
    if (const auto* c = message.notify(kCookie); c && !result->cookie) {
      result->cookie = true;
      request.cookie = c->data;
      return false;
    }
    const auto* ke = message.notify(kInvalidKePayload);
    if (ke && ke->requested_group && !result->requested_group) {
      result->requested_group = ke->requested_group;
      if (policy.follow_invalid_ke && *ke->requested_group != request.ke_group) {
        request.ke_group = *ke->requested_group;
        request.ke_data = ke_data_for(request.ke_group);
        return false;
      }
    }
    result->response = std::move(message);
    result->outcome = Outcome::success;
    result->detail = summary(*result->response);
    return true;
  }

  asio::awaitable<Step> run(Session& session) {
    unsigned silent = 0;
    unsigned datagrams = 0;
    bool resend = true;
    while (true) {
      if (resend) {
        result->sent_group = request.ke_group;
        const Step sent = co_await session.send(datagram());
        ++result->sent;
        if (!sent.ok()) co_return finish(sent.outcome, sent.detail);
        resend = false;
      }
      Step got = co_await session.read_until(datagram_framer(), kReadCap, policy.timeout);
      if (got.outcome == Outcome::io_timeout || got.outcome == Outcome::no_response) {
        if (++silent > policy.retries)
          co_return finish(Outcome::no_response, fmt::format("no answer to {} datagrams", result->sent));
        resend = true;
        continue;
      }
      if (!got.ok()) co_return finish(got.outcome, got.detail);
      ++result->received;
      if (++datagrams > policy.max_datagrams)
        co_return finish(Outcome::protocol_error,
                         fmt::format("more than {} datagrams without an answer to our request", policy.max_datagrams));
      auto parsed = parse(got.bytes);
      if (!parsed.ok())
        co_return finish(Outcome::protocol_error,
                         fmt::format("an answer that is not an IKE message: {} at byte {} ({})",
                                     parsed.error().message, parsed.error().offset, parsed.error().path));
      if (!answers(*parsed, request.initiator_spi)) continue;
      if (take(std::move(*parsed))) co_return Step{Outcome::success, result->detail, std::move(got.bytes)};
      resend = true;
      silent = 0;
    }
  }

  Step finish(Outcome outcome, std::string detail) {
    result->outcome = outcome;
    result->detail = detail;
    return Step{outcome, std::move(detail), {}};
  }
};

/// The half-open check on one socket: the request (re-sent on silence), then the same datagram twice more with a
/// listening window between; every read is bounded by the timeout and at most kMaxReads datagrams are read.
struct HalfOpen {
  ByteVec datagram;  // the request exactly as sent, marker included
  bool nat_t = false;
  std::uint64_t spi = 0;
  Millis timeout{2000};
  RetransmitCheck* check = nullptr;
  unsigned reads = 0;

  static constexpr unsigned kMaxReads = 8;
  static constexpr Millis kSettle{250};

  Result<Message> parse(Bytes bytes) const { return nat_t ? parse_nat_t_datagram(bytes) : parse_datagram(bytes); }

  asio::awaitable<bool> send(Session& session) {
    ByteVec copy = datagram;
    const Step sent = co_await session.send(std::move(copy));
    ++check->sent;
    co_return sent.ok();
  }

  /// The next datagram within `wait`, or nullopt on silence, an error or too many datagrams.
  asio::awaitable<std::optional<ByteVec>> next(Session& session, Millis wait) {
    if (reads >= kMaxReads) co_return std::nullopt;
    Step got = co_await session.read_until(datagram_framer(), kReadCap, wait);
    if (!got.ok()) co_return std::nullopt;
    ++reads;
    ++check->received;
    co_return std::move(got.bytes);
  }

  /// The IKE message bytes answering our SPI within one timeout; empty when none came.
  asio::awaitable<ByteVec> answer(Session& session) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      const auto left = std::chrono::duration_cast<Millis>(until - Clock::now());
      auto got = co_await next(session, left);
      if (!got) co_return ByteVec{};
      auto parsed = parse(*got);
      if (parsed.ok() && answers(*parsed, spi)) co_return std::move(parsed->raw);
    }
    co_return ByteVec{};
  }

  /// Counts every datagram that arrives within `window`.
  asio::awaitable<void> listen(Session& session, Millis window) {
    const auto until = Clock::now() + window;
    while (Clock::now() < until) {
      const auto left = std::chrono::duration_cast<Millis>(until - Clock::now());
      if (!co_await next(session, left)) co_return;
      ++check->unsolicited;
    }
  }

  /// Why the first answer does not open a half-open SA, or empty when it does.
  std::string refusal() const {
    auto parsed = parse_datagram(check->first);
    if (!parsed.ok()) return "the answer is not an IKE message";
    if (parsed->notify(kCookie)) return "the responder asked for a COOKIE, so it keeps no state for the request";
    if (parsed->all<SaPayload>().empty()) return "the responder refused the offer: " + summary(*parsed);
    return {};
  }

  asio::awaitable<Step> run(Session& session, Millis window) {
    for (unsigned attempt = 0; attempt < 3 && check->first.empty(); ++attempt) {
      if (!co_await send(session)) break;
      check->first = co_await answer(session);
    }
    if (check->first.empty()) check->skipped = fmt::format("no answer to {} requests", check->sent);
    else check->skipped = refusal();
    if (!check->skipped.empty()) co_return Step{Outcome::success, check->skipped, {}};
    // A copy sent at once can arrive while the responder is still busy with the request (charon: "ignoring request
    // with ID 0, already processing"); a real initiator waits its retransmission timeout, this check a short while.
    check->settle = kSettle;
    co_await listen(session, kSettle);
    if (co_await send(session)) check->resent = co_await answer(session);
    check->window = window;
    co_await listen(session, window);
    if (co_await send(session)) check->late = co_await answer(session);
    co_return Step{Outcome::success, "half-open check done", {}};
  }
};

}  // namespace

ByteVec ke_data_for(std::uint16_t group) {
  if (const char* curve = ecp_curve(group)) return ecp_public(curve);
  const DhGroup* g = dh_group(group);
  if (g == nullptr || g->initiator_ke_bytes == 0) return {};
  ByteVec data = random_bytes(g->initiator_ke_bytes);
  const bool modp = g->name.starts_with("MODP");
  if (modp) data[0] = 0x7f;  // below every MODP prime of that size, whose top bits are set
  return data;
}

ExchangeResult exchange(Engine& engine, const Target& target, const std::string& name, const ProposalSpec& proposal,
                        std::uint16_t ke_group, const ExchangePolicy& policy) {
  ExchangeResult result;
  result.name = name;
  result.offered = proposal.transforms;
  auto talk = std::make_shared<Conversation>();
  talk->request = request_for(proposal, ke_group);
  talk->policy = policy;
  // Like charon, anything but port 500 carries the non-ESP marker (RFC 3948 2.2; RFC 7296 2.23).
  talk->nat_t = target.port != 500;
  talk->result = &result;
  Job job;
  job.name = name;
  job.target = target;
  job.limits.connect_timeout = policy.timeout;
  job.limits.io_timeout = policy.timeout;
  job.limits.deadline = policy.timeout * (policy.retries + 1) * 3 + Millis(1000);
  job.conversation = [talk](Session& s) { return talk->run(s); };
  const JobResult done = engine.run_one(std::move(job));
  if (done.outcome != Outcome::success && result.outcome == Outcome::success) result.outcome = done.outcome;
  if (!result.response && result.detail.empty()) {
    result.outcome = done.outcome;
    result.detail = done.detail;
  }
  return result;
}

std::optional<std::pair<ProposalSpec, std::uint16_t>> chosen_offer(const Message& accept) {
  const auto sa = accept.all<SaPayload>();
  if (sa.empty() || sa[0]->proposals.empty()) return std::nullopt;
  ProposalSpec proposal;
  std::uint16_t group = 0;
  for (const auto& t : sa[0]->proposals[0].transforms) {
    proposal.transforms.push_back({t.type, t.id, t.key_length});
    if (t.type == 4) group = t.id;
  }
  if (group == 0) return std::nullopt;
  return std::make_pair(std::move(proposal), group);
}

RetransmitCheck check_retransmission(Engine& engine, const Target& target, const ProposalSpec& proposal,
                                     std::uint16_t ke_group, Millis timeout, Millis window) {
  RetransmitCheck check;
  auto talk = std::make_shared<HalfOpen>();
  const SaInitRequest request = request_for(proposal, ke_group);
  talk->nat_t = target.port != 500;
  const ByteVec message = write_sa_init_request(request);
  talk->datagram = talk->nat_t ? with_non_esp_marker(message) : message;
  talk->spi = request.initiator_spi;
  talk->timeout = timeout;
  talk->check = &check;
  Job job;
  job.name = "half-open";
  job.target = target;
  job.limits.connect_timeout = timeout;
  job.limits.io_timeout = timeout;
  job.limits.deadline = timeout * 6 + window + HalfOpen::kSettle + Millis(1000);
  job.conversation = [talk, window](Session& s) { return talk->run(s, window); };
  const JobResult done = engine.run_one(std::move(job));
  if (check.first.empty() && check.skipped.empty()) check.skipped = done.detail;
  return check;
}

}  // namespace sd::probe::ike
