// The probe command's options turned into the engine's limits, so every probe kind honours the same flags.
#pragma once

#include "probe/engine/engine.h"
#include "probe/probe.h"

namespace sd::probe {

/// --budget, --rate-ms and --max-connections as engine limits.
EngineConfig engine_config(const ProbeOptions& options);

/// --timeout-ms for every connect, send and read; the job deadline is a fixed multiple of it.
Limits job_limits(const ProbeOptions& options);

/// How many steps' worth of time one job may take in total.
inline constexpr int kDeadlineSteps = 6;

}  // namespace sd::probe
