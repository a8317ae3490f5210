// The state machine of dump recovery: lines classified one at a time are joined into dumps.
#include <algorithm>
#include <array>
#include <limits>
#include <new>
#include <optional>
#include <vector>

#include "wire/hexdump/classify.h"
#include "wire/hexdump/hexdump.h"
#include "wire/hexdump/label.h"
#include "wire/hexdump/line_scan.h"

namespace sd::hexdump {
namespace {

using detail::ContextLine;
using detail::LineInfo;
using detail::LineKind;
using detail::OffsetStyle;

constexpr std::size_t kContextLines = 8;       // text lines kept above a dump for its label
constexpr std::size_t kMinPlainBytes = 8;      // a plain run shorter than this is a number, not a dump
constexpr std::size_t kMinPlainSingleLine = 16;  // a lone line of wide groups needs this many
constexpr std::size_t kMinPlainDigitsOnly = 32;  // unbroken runs with no letter a-f need this many

/// How the lines of a dump are tied together.
enum class Family { offset, plain, msg };

/// A dump being read, with what the next line must match to continue it.
struct OpenDump {
  Dump dump;
  Family family = Family::plain;
  OffsetStyle style = OffsetStyle::none;
  std::size_t width = 0;          ///< bytes on the first line
  unsigned group_digits = 0;      ///< digits of the first group on the first line
  bool continuous = false;        ///< plain: the first line was one unbroken run of hex
  unsigned bases = 0;             ///< bases the offsets are still consistent with
  std::string_view last_offset;   ///< offset digits of the last line with bytes
  ByteVec last_line;              ///< bytes of that line (what a '*' line repeats)
  std::size_t repeat_line = 0;    ///< line of a pending '*', 0 when none
  bool short_seen = false;        ///< a line shorter than the first one ended the dump's body
  bool starts_at_zero = false;
  std::size_t lines = 0;          ///< lines that carried bytes
  std::size_t widest_line = 0;    ///< most bytes on one line
  detail::Letters letters = detail::Letters::none;  ///< the letter case seen so far
};

std::uint32_t line_number32(std::size_t line) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(line, std::numeric_limits<std::uint32_t>::max()));
}

bool all_zero(std::string_view digits) {
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
}

class Recovery {
 public:
  Recovery(std::string_view text, const Limits& limits)
      : text_(text), max_dump_(limits.max_dump_bytes), repeat_budget_(limits.max_repeat_bytes) {}

  /// Reads every line and returns the dumps found.
  std::vector<Dump> run() {
    std::size_t number = 0;
    for (std::size_t at = 0; at < text_.size();) {
      const std::size_t end = std::min(text_.find('\n', at), text_.size());
      on_line(text_.substr(at, end - at), ++number);
      at = end + 1;
    }
    close();
    return std::move(found_);
  }

 private:
  void on_line(std::string_view line, std::size_t number) {
    bytes_.clear();
    const LineInfo info = detail::classify(line, bytes_);
    switch (info.kind) {
      case LineKind::blank: return on_blank();
      case LineKind::msg_header: return on_msg_header(info, number);
      case LineKind::repeat: return on_repeat(info, number);
      case LineKind::offset_bytes: return on_offset_bytes(info, number);
      case LineKind::offset_only: return on_offset_only(info, number);
      case LineKind::plain: return on_plain(info, number);
      case LineKind::text: return on_text(info, number);
    }
  }

  void on_blank() {
    close();
    msg_header_.reset();
  }

  void on_text(const LineInfo& info, std::size_t number) {
    close();
    msg_header_.reset();
    remember(info, number);
  }

  void on_msg_header(const LineInfo& info, std::size_t number) {
    close();
    msg_header_ = ContextLine{info.text, number};
    msg_direction_ = info.direction;
  }

  void on_repeat(const LineInfo& info, std::size_t number) {
    if (open_ && open_->family == Family::offset && open_->repeat_line == 0 && !open_->short_seen) {
      open_->repeat_line = number;
      return;
    }
    on_text(info, number);
  }

  void on_offset_bytes(const LineInfo& info, std::size_t number) {
    msg_header_.reset();
    if (!(open_ && continue_offset(info, number))) {
      close();
      start(info, number, Family::offset);
      open_->last_offset = info.offset;
      open_->starts_at_zero = all_zero(info.offset);
      append_line(number, info.letters);
    }
  }

  /// A bare offset ends an od / hexdump -C dump when it is the next offset; otherwise it may be plain hex.
  void on_offset_only(const LineInfo& info, std::size_t number) {
    if (open_ && open_->family == Family::offset && follows_on(info)) {
      open_->dump.last_line = number;
      close();
      return;
    }
    if (info.offset.size() % 2 == 0) {
      LineInfo plain = info;
      plain.kind = LineKind::plain;
      plain.format = "plain";
      return on_plain(plain, number);
    }
    on_text(info, number);
  }

  void on_plain(const LineInfo& info, std::size_t number) {
    if (open_ && continues_plain(info)) {
      append_line(number, info.letters);
      return;
    }
    close();
    if (msg_header_) {
      start(info, number, Family::msg);
      open_->dump.format = "openssl-msg";
      open_->dump.label = std::string(msg_header_->text);
      open_->dump.direction = std::string(msg_direction_);
      msg_header_.reset();
    } else {
      start(info, number, Family::plain);
    }
    append_line(number, info.letters);
  }

  /// Whether a plain line carries on the open plain or -msg dump: same layout, no more bytes than the
  /// first line, and no line after a shorter one.
  bool continues_plain(const LineInfo& info) const {
    const OpenDump& d = *open_;
    if (d.family == Family::offset || d.short_seen || !same_case(d.letters, info.letters)) return false;
    return info.group_digits <= d.group_digits && bytes_.size() <= d.width;
  }

  static bool same_case(detail::Letters a, detail::Letters b) {
    return a == detail::Letters::none || b == detail::Letters::none || a == b;
  }

  /// Continues the open offset dump with this line; false when the line belongs to a new dump.
  bool continue_offset(const LineInfo& info, std::size_t number) {
    OpenDump& d = *open_;
    if (d.family != Family::offset || d.style != info.style || d.dump.format != info.format || d.short_seen ||
        !same_case(d.letters, info.letters))
      return false;
    if (bytes_.size() > d.width || info.group_digits > d.group_digits) return false;
    if (info.group_digits < d.group_digits && bytes_.size() == d.width) return false;
    if (!follows_on(info)) return false;
    d.last_offset = info.offset;
    append_line(number, info.letters);
    return true;
  }

  /// True when the line's offset follows on from the open dump; a pending '*' is then expanded.
  /// While the base is still open (od), a '*' is read in the likeliest one: octal for od's default
  /// seven digits, else hex; the dump then keeps to that base.
  bool follows_on(const LineInfo& info) {
    OpenDump& d = *open_;
    unsigned kept = 0;
    unsigned first = 0;
    std::uint64_t repeat_count = 0;
    for (const unsigned base_bit : base_order(info.offset)) {
      if ((d.bases & info.offset_bases & base_bit) == 0) continue;
      const auto gap = offset_gap(d, info.offset, base_bit);
      if (!gap) continue;
      if (kept == 0) {
        repeat_count = *gap;
        first = base_bit;
      }
      kept |= base_bit;
    }
    if (kept == 0) return false;
    d.bases = kept;
    if (d.repeat_line != 0) {
      d.bases = first;
      expand_repeat(repeat_count);
    }
    return true;
  }

  /// The bases to try, likeliest first: octal for od's default seven digits, else hex.
  static std::array<unsigned, 3> base_order(std::string_view offset) {
    if (offset.size() == 7) return {detail::kBase8, detail::kBase16, detail::kBase10};
    return {detail::kBase16, detail::kBase8, detail::kBase10};
  }

  /// Lines a '*' left out between the last line and this offset, or nullopt when the offset does not follow.
  static std::optional<std::uint64_t> offset_gap(const OpenDump& d, std::string_view offset, unsigned base_bit) {
    const unsigned base = base_bit == detail::kBase16 ? 16 : base_bit == detail::kBase10 ? 10 : 8;
    const auto prev = detail::read_offset(d.last_offset, base);
    const auto cur = detail::read_offset(offset, base);
    if (!prev || !cur || *prev > std::numeric_limits<std::uint64_t>::max() - d.last_line.size()) return std::nullopt;
    const std::uint64_t expected = *prev + d.last_line.size();
    if (d.repeat_line == 0) return *cur == expected ? std::optional<std::uint64_t>(0) : std::nullopt;
    if (*cur < expected || d.last_line.empty() || (*cur - expected) % d.last_line.size() != 0) return std::nullopt;
    return (*cur - expected) / d.last_line.size();
  }

  /// Writes the lines a '*' stood for, within the repeat budget and the dump cap.
  void expand_repeat(std::uint64_t count) {
    OpenDump& d = *open_;
    const std::size_t width = d.last_line.size();
    const std::size_t room =
        d.dump.truncated ? 0 : std::min(repeat_budget_, max_dump_ - std::min(max_dump_, d.dump.bytes.size()));
    const std::uint64_t fit = std::min<std::uint64_t>(count, room / width);
    if (fit < count) d.dump.truncated = true;
    const std::size_t total = static_cast<std::size_t>(fit) * width;
    repeat_budget_ -= total;
    append_copies(d.dump, d.last_line, total, d.repeat_line);
    d.repeat_line = 0;
  }

  /// Appends `total` bytes made of copies of `line` (total is a multiple of its size), doubling the copied run.
  static void append_copies(Dump& dump, const ByteVec& line, std::size_t total, std::size_t number) {
    if (total == 0) return;
    const std::size_t start = dump.bytes.size();
    dump.bytes.resize(start + total);
    const auto out = dump.bytes.begin() + static_cast<std::ptrdiff_t>(start);
    std::copy(line.begin(), line.end(), out);
    for (std::size_t done = line.size(); done < total;) {
      const std::size_t n = std::min(done, total - done);
      std::copy_n(out, n, out + static_cast<std::ptrdiff_t>(done));
      done += n;
    }
    dump.byte_lines.resize(start + total, line_number32(number));
  }

  void start(const LineInfo& info, std::size_t number, Family family) {
    open_.emplace();
    OpenDump& d = *open_;
    d.family = family;
    d.style = info.style;
    d.width = bytes_.size();
    d.group_digits = info.group_digits;
    d.continuous = info.continuous;
    d.bases = info.offset_bases;
    d.dump.format = std::string(info.format);
    d.dump.first_line = number;
    d.dump.label = detail::pick_label(context_);
    d.dump.direction = std::string(detail::direction_hint(context_));
  }

  /// Adds the bytes of the current line to the open dump.
  void append_line(std::size_t number, detail::Letters letters) {
    OpenDump& d = *open_;
    push_bytes(bytes_, number);
    d.last_line = bytes_;
    d.short_seen = bytes_.size() < d.width;
    if (letters != detail::Letters::none) d.letters = letters;
    d.dump.last_line = number;
    d.lines += 1;
    d.widest_line = std::max(d.widest_line, bytes_.size());
  }

  /// Adds bytes to the open dump up to the cap; once a dump has lost bytes, nothing more is added, so
  /// that no byte stands at the wrong place.
  void push_bytes(const ByteVec& bytes, std::size_t number) {
    Dump& dump = open_->dump;
    const std::size_t room = dump.truncated ? 0 : max_dump_ - std::min(max_dump_, dump.bytes.size());
    const std::size_t n = std::min(room, bytes.size());
    if (n < bytes.size()) dump.truncated = true;
    dump.bytes.insert(dump.bytes.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    dump.byte_lines.insert(dump.byte_lines.end(), n, line_number32(number));
  }

  /// Whether the dump has enough structure to be a dump and not numbers in prose.
  static bool acceptable(const OpenDump& d) {
    if (d.dump.bytes.empty()) return false;
    switch (d.family) {
      case Family::msg: return true;
      case Family::offset: return d.lines >= 2 || d.starts_at_zero;
      case Family::plain: return plain_acceptable(d);
    }
    return false;
  }

  /// A plain run needs a line of kMinPlainBytes; alone, a line of wide groups needs more, and unbroken
  /// runs without a letter a-f (decimal numbers look like that) need more still, on any number of lines.
  static bool plain_acceptable(const OpenDump& d) {
    if (d.widest_line < kMinPlainBytes) return false;
    if (d.continuous && d.letters == detail::Letters::none) return d.dump.bytes.size() >= kMinPlainDigitsOnly;
    return d.lines > 1 || d.continuous || d.group_digits == 2 || d.widest_line >= kMinPlainSingleLine;
  }

  void close() {
    if (!open_) return;
    if (acceptable(*open_)) {
      found_.push_back(std::move(open_->dump));
      context_.clear();
    }
    open_.reset();
  }

  void remember(const LineInfo& info, std::size_t number) {
    if (context_.size() == kContextLines) context_.erase(context_.begin());
    context_.push_back(ContextLine{info.text, number});
  }

  std::string_view text_;
  std::vector<Dump> found_;
  std::optional<OpenDump> open_;
  std::vector<ContextLine> context_;  ///< oldest first, at most kContextLines
  std::optional<ContextLine> msg_header_;
  std::string_view msg_direction_;
  std::size_t max_dump_;
  std::size_t repeat_budget_;
  ByteVec bytes_;
};

}  // namespace

std::vector<Dump> recover(std::string_view text) { return recover(text, Limits{}); }

std::vector<Dump> recover(std::string_view text, const Limits& limits) {
  try {
    return Recovery(text, limits).run();
  } catch (const std::bad_alloc&) {
    return {};  // out of memory on a pathological input: report nothing rather than throw
  }
}

}  // namespace sd::hexdump
