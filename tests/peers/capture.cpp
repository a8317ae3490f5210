#include "capture.h"

#include <algorithm>

namespace sd::peers {

const Capture& captured(const std::string& case_name, const std::function<Capture()>& produce) {
  static std::map<std::string, Capture> cache;
  const auto found = cache.find(case_name);
  if (found != cache.end()) return found->second;
  Capture& c = cache[case_name] = produce();
  save_live_logs(case_name, c.files);
  return c;
}

void expect_diagnosis(const Capture& capture, const std::string& id) {
  const Explained result = explain(capture.paths());
  const bool named = std::find(result.ids.begin(), result.ids.end(), id) != result.ids.end();
  EXPECT_TRUE(named) << explain_failure(result, id);
}

}  // namespace sd::peers
