// Field-tree views of engine results, so every probe reports attempts and connection counts the same way.
#pragma once

#include "core/field.h"
#include "probe/engine/engine.h"

namespace sd::probe {

/// One attempt: name, target, address, outcome (stable name), detail, byte counts, and the raw transcript in hex.
Field describe(const JobResult& result);

/// The engine's counters: connections attempted and opened, jobs, the highest per-target concurrency.
Field describe(const EngineStats& stats);

}  // namespace sd::probe
