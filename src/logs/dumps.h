// Hex dumps inside trace records, decoded through the decode layer. Internal to src/logs.
#pragma once

#include "logs/event.h"

namespace sd::logs {

/// Decodes the dump carried by ev's text into ev.decoded (first message) and adds its ladder step.
void attach_decoded(Event& ev);
/// True when text holds at least min_digits hex digits in a row (a one-line hex payload worth decoding).
bool has_hex_run(std::string_view text, std::size_t min_digits);

}  // namespace sd::logs
