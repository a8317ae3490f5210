#include "probe/engine/options.h"

namespace sd::probe {

EngineConfig engine_config(const ProbeOptions& options) {
  EngineConfig config;
  config.per_target_budget = options.per_target_budget;
  config.min_start_interval = options.min_interval;
  config.max_connections = options.max_connections;
  config.resolve_timeout = options.timeout;
  return config;
}

Limits job_limits(const ProbeOptions& options) {
  Limits limits;
  limits.connect_timeout = options.timeout;
  limits.io_timeout = options.timeout;
  limits.deadline = options.timeout * kDeadlineSteps;
  return limits;
}

}  // namespace sd::probe
