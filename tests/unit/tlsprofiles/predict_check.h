// Test helpers for predictions: a profile by id, a server's answers, and the KB ids of a prediction's causes.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tlsprofiles/predict.h"

namespace sd::tlsprofiles::test {

/// The embedded profile with this id (a test failure and an empty profile when there is none).
inline ClientProfile profile(const std::string& id) {
  auto p = find_profile(id);
  EXPECT_TRUE(p.has_value()) << id;
  return p.value_or(ClientProfile{});
}

/// A version or hello the server accepts.
inline probe::tls::Answer accepted() { return probe::tls::Answer{probe::tls::Refusal::none, std::nullopt, "", ""}; }

/// A hello the server answers with this alert (and optionally text after it).
inline probe::tls::Answer alert(std::uint8_t code, std::string text = {}) {
  return probe::tls::Answer{probe::tls::Refusal::alert, code, std::move(text), ""};
}

/// The KB ids of the prediction's causes, in order.
inline std::vector<std::string> kb_ids(const Prediction& r) {
  std::vector<std::string> out;
  for (const auto& c : r.causes) out.push_back(c.kb_id);
  return out;
}

}  // namespace sd::tlsprofiles::test
