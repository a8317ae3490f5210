#include "probe/engine/options.h"

#include <gtest/gtest.h>

namespace sd::probe {
namespace {

TEST(EngineOptions, FlagsBecomeEngineLimits) {
  ProbeOptions options;
  options.per_target_budget = 2;
  options.min_interval = std::chrono::milliseconds(250);
  options.max_connections = 12;
  options.timeout = std::chrono::milliseconds(1500);
  const EngineConfig config = engine_config(options);
  EXPECT_EQ(config.per_target_budget, 2u);
  EXPECT_EQ(config.min_start_interval, Millis(250));
  EXPECT_EQ(config.max_connections, 12u);
  EXPECT_EQ(config.resolve_timeout, Millis(1500));
  const Limits limits = job_limits(options);
  EXPECT_EQ(limits.connect_timeout, Millis(1500));
  EXPECT_EQ(limits.io_timeout, Millis(1500));
  EXPECT_EQ(limits.deadline, Millis(9000));
}

}  // namespace
}  // namespace sd::probe
