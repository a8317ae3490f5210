// Any other syslog or journal line, and finally plain text: kept as events so rules can still match them.
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool syslog_line(const Line& line, Event& ev) {
  if (!line.syslog) return false;
  mark(ev, "syslog", "", "plain");
  if (!line.program.empty()) ev.attrs["program"] = std::string(line.program);
  return true;
}

bool plain_line(const Line&, Event& ev) {
  mark(ev, "plain", "", "plain");
  return true;
}

}  // namespace

void mark(Event& ev, std::string_view format, std::string_view side, std::string_view type) {
  ev.format.assign(format);
  ev.side.assign(side);
  ev.type.assign(type);
}

void ladder(Event& ev, std::string_view dir, std::string_view label) {
  ev.attrs["dir"] = std::string(dir);
  ev.attrs["step"] = std::string(trim(label));
}

const Format& syslog_format() {
  static const Format kFormat{"syslog", "any other syslog or journal line", syslog_line};
  return kFormat;
}

const Format& plain_format() {
  static const Format kFormat{"plain", "any other text", plain_line};
  return kFormat;
}

}  // namespace sd::logs
