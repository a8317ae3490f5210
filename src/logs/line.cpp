#include "logs/line.h"

#include <array>

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<int, 12> kDaysBefore{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int number(std::string_view text, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v * 10 + (text[at + i] - '0');
  return v;
}

std::optional<int> month_at(std::string_view text, std::size_t at) {
  if (text.size() < at + 3) return std::nullopt;
  for (std::size_t m = 0; m < kMonths.size(); ++m)
    if (text.substr(at, 3) == kMonths[m]) return static_cast<int>(m);
  return std::nullopt;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// "HH:MM:SS[.frac]" at text[at..]: milliseconds since midnight, consumed characters in used.
std::optional<std::int64_t> clock_at(std::string_view text, std::size_t at, std::size_t& used) {
  if (!digits_at(text, at, 2) || text.size() < at + 8 || text[at + 2] != ':' || !digits_at(text, at + 3, 2) ||
      text[at + 5] != ':' || !digits_at(text, at + 6, 2))
    return std::nullopt;
  std::int64_t ms = (number(text, at, 2) * 3600 + number(text, at + 3, 2) * 60 + number(text, at + 6, 2)) * 1000LL;
  used = 8;
  if (text.size() > at + 8 && (text[at + 8] == '.' || text[at + 8] == ',')) {
    std::size_t i = at + 9;
    int scale = 100;
    while (i < text.size() && is_digit(text[i])) {
      ms += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    used = i - at;
  }
  return ms;
}

std::optional<std::int64_t> iso_time(std::string_view text, std::size_t& consumed) {
  if (!digits_at(text, 0, 4) || text.size() < 19 || text[4] != '-' || !digits_at(text, 5, 2) || text[7] != '-' ||
      !digits_at(text, 8, 2) || (text[10] != 'T' && text[10] != ' '))
    return std::nullopt;
  std::size_t used = 0;
  const auto clock = clock_at(text, 11, used);
  if (!clock) return std::nullopt;
  std::size_t end = 11 + used;
  std::int64_t offset_ms = 0;
  if (end < text.size() && text[end] == 'Z') {
    ++end;
  } else if (end + 5 < text.size() + 0 && (text[end] == '+' || text[end] == '-') && digits_at(text, end + 1, 2)) {
    const std::size_t mm = text[end + 3] == ':' ? end + 4 : end + 3;
    if (digits_at(text, mm, 2)) {
      offset_ms = (number(text, end + 1, 2) * 60 + number(text, mm, 2)) * 60000LL * (text[end] == '+' ? 1 : -1);
      end = mm + 2;
    }
  }
  consumed = end;
  const auto days = days_from_civil(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2));
  return days * 86400000LL + *clock - offset_ms;
}

// "Mon DD HH:MM:SS" (BSD syslog) or "Www Mon DD HH:MM:SS YYYY" (ctime).
std::optional<std::int64_t> bsd_time(std::string_view text, std::size_t& consumed) {
  std::size_t at = 0;
  auto month = month_at(text, 0);
  if (!month && text.size() > 4 && text[3] == ' ') {
    month = month_at(text, 4);
    at = 4;
  }
  if (!month || text.size() < at + 15 || text[at + 3] != ' ') return std::nullopt;
  const std::size_t day_at = text[at + 4] == ' ' ? at + 5 : at + 4;
  if (!digits_at(text, day_at, 1)) return std::nullopt;
  const std::size_t day_len = digits_at(text, day_at, 2) ? 2 : 1;
  const int day = number(text, day_at, day_len);
  std::size_t used = 0;
  const auto clock = clock_at(text, day_at + day_len + 1, used);
  if (!clock) return std::nullopt;
  consumed = day_at + day_len + 1 + used;
  if (at == 4 && digits_at(text, consumed + 1, 4) && text[consumed] == ' ') {
    const auto days = days_from_civil(number(text, consumed + 1, 4), *month + 1, day);
    consumed += 5;
    return days * 86400000LL + *clock;
  }
  return (kDaysBefore[static_cast<std::size_t>(*month)] + day - 1) * 86400000LL + *clock;
}

// "host program[pid]: " after a syslog time; fills the line and returns true when it fits.
bool syslog_tail(std::string_view rest, Line& line) {
  const auto host_end = rest.find(' ');
  if (host_end == std::string_view::npos || host_end == 0) return false;
  const auto colon = rest.find(": ", host_end + 1);
  if (colon == std::string_view::npos) return false;
  std::string_view tag = rest.substr(host_end + 1, colon - host_end - 1);
  if (tag.empty() || tag.find(' ') != std::string_view::npos) return false;
  line.host = rest.substr(0, host_end);
  if (const auto br = tag.find('['); br != std::string_view::npos && tag.back() == ']') {
    line.pid = tag.substr(br + 1, tag.size() - br - 2);
    tag = tag.substr(0, br);
  }
  line.program = tag;
  line.message = rest.substr(colon + 2);
  line.syslog = true;
  return true;
}

}  // namespace

bool digits_at(std::string_view text, std::size_t at, std::size_t n) {
  if (text.size() < at + n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (!is_digit(text[at + i])) return false;
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> parse_time(std::string_view text, std::size_t& consumed) {
  consumed = 0;
  if (auto t = iso_time(text, consumed)) return t;
  if (auto t = bsd_time(text, consumed)) return t;
  std::size_t used = 0;
  if (auto t = clock_at(text, 0, used)) {
    consumed = used;
    return t;
  }
  return std::nullopt;
}

Line split_line(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  Line line;
  line.raw = raw;
  line.message = raw;
  std::size_t used = 0;
  std::string_view rest = raw;
  if (starts_with(rest, "<") && rest.find('>') < 5) rest = rest.substr(rest.find('>') + 1);  // <PRI>
  const auto t = parse_time(rest, used);
  if (!t) return line;
  line.time_ms = t;
  rest = rest.substr(used);
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!syslog_tail(rest, line)) line.message = rest;
  return line;
}

}  // namespace sd::logs
