// Hex dumps inside trace records, decoded through the decode layer. Internal to src/logs.
#pragma once

#include "logs/event.h"

namespace sd::logs {

/// Decodes the dump carried by ev's text into ev.decoded (first message) and adds its ladder step.
void attach_decoded(Event& ev);

}  // namespace sd::logs
