// Evaluating rule conditions on events. Internal to src/kb.
#pragma once

#include "kb/rule.h"
#include "logs/event.h"

namespace sd::kb {

/// True when the condition holds on the event (false when the field is absent).
bool holds(const Condition& c, const logs::Event& ev);
/// True when the condition reads Event::decoded.
bool needs_decoded(const Condition& c);

}  // namespace sd::kb
