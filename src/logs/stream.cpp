// Streaming reader: lines in (bounded buffers), events out; multi-line trace records are assembled here.
#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "logs/dumps.h"
#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::size_t kDetectLines = 64;
constexpr std::size_t kMinHexDigits = 32;  // a one-line payload of 16 bytes or more is worth decoding

class Assembler {
 public:
  Assembler(const std::string& file, const ReadOptions& options, const EventSink& sink)
      : file_(file), options_(options), sink_(sink), forced_(find_format(options.forced_format)) {}

  void set_context(std::string context) { context_ = std::move(context); }

  void feed(std::string_view raw) {
    ++line_no_;
    if (has_open_ && open_format_->continues(open_, raw) && open_.last_line - open_.line < options_.max_block_lines) {
      open_.text += '\n';
      open_.text.append(raw);
      open_.last_line = line_no_;
      return;
    }
    close_open();
    Line line = split_line(raw);
    line.context = context_;
    const Format* f = classify(line);
    if (f->continues) {
      std::swap(open_, current_);
      open_format_ = f;
      has_open_ = true;
      return;
    }
    if (options_.decode_dumps && has_hex_run(current_.text, kMinHexDigits)) attach_decoded(current_);
    sink_(current_);
  }

  void close_open() {
    if (!has_open_) return;
    has_open_ = false;
    if (open_format_->finish) open_format_->finish(open_);
    if (options_.decode_dumps && open_.type == "ssl.dump") attach_decoded(open_);
    sink_(open_);
  }

  std::size_t lines() const { return line_no_; }

  /// Counts n lines without reading them (fast lane); an open multi-line record ends here.
  void skip(std::size_t n) {
    if (n == 0) return;
    close_open();
    line_no_ += n;
    skipped_ += n;
  }
  std::size_t skipped() const { return skipped_; }

 private:
  const Format* classify(const Line& line) {
    reset(line);
    if (forced_) {
      if (!forced_->classify(line, current_)) mark(current_, forced_->name, "", "plain");
      return forced_;
    }
    for (const auto& f : formats())
      if (f.classify(line, current_)) return &f;
    return &formats().back();
  }

  void reset(const Line& line) {
    current_.file = file_;
    current_.line = line_no_;
    current_.last_line = line_no_;
    current_.text.assign(line.raw);
    current_.time_ms = line.time_ms;
    current_.attrs.clear();
    current_.decoded.reset();
  }

  const std::string& file_;
  const ReadOptions& options_;
  const EventSink& sink_;
  const Format* forced_;
  std::string context_;
  std::size_t line_no_ = 0;
  std::size_t skipped_ = 0;
  Event current_;
  Event open_;
  const Format* open_format_ = nullptr;
  bool has_open_ = false;
};

// Splits a byte stream into lines of at most max_line characters, without copying whole lines when it can.
template <class OnLine>
void for_each_line(std::istream& in, std::size_t max_line, OnLine&& on_line) {
  std::array<char, 64 * 1024> buf{};
  std::string carry;
  while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
    std::string_view chunk(buf.data(), static_cast<std::size_t>(in.gcount()));
    while (!chunk.empty()) {
      const auto nl = chunk.find('\n');
      const auto piece = chunk.substr(0, nl);
      if (nl != std::string_view::npos && carry.empty()) {
        on_line(piece.substr(0, max_line));
      } else {
        if (carry.size() < max_line) carry.append(piece.substr(0, max_line - carry.size()));
        if (nl == std::string_view::npos) break;
        on_line(std::string_view(carry));
        carry.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
  }
  if (!carry.empty()) on_line(std::string_view(carry));
}

constexpr std::size_t kFastChunk = 1 << 20;

// Newlines in text: the fast lane's line counting over every byte, 16 bytes per step where SSE2 is there.
std::size_t count_newlines(std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  std::size_t total = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (left >= 16) {
    // Up to 255 steps add into byte lanes (0 or -1 per step, so the lanes count down), then one horizontal sum.
    const std::size_t steps = std::min<std::size_t>(left / 16, 255);
    __m128i lanes = _mm_setzero_si128();
    for (std::size_t i = 0; i < steps; ++i, p += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, newline));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    total += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    left -= steps * 16;
  }
#endif
  for (; left > 0; --left, ++p) total += *p == '\n' ? 1 : 0;
  return total;
}

// Feeds the lines of chunk that hold a match end; counts the others. chunk ends with a newline.
void feed_hit_lines(std::string_view chunk, const std::vector<std::size_t>& ends, std::size_t max_line,
                    Assembler& assembler) {
  std::size_t pos = 0;
  for (const auto end : ends) {
    const std::size_t at = end == 0 ? 0 : end - 1;
    if (at < pos || at >= chunk.size()) continue;
    const auto nl_before = at == 0 ? std::string_view::npos : chunk.rfind('\n', at - 1);
    const std::size_t start = nl_before == std::string_view::npos ? 0 : nl_before + 1;
    if (start < pos) continue;
    assembler.skip(count_newlines(chunk.substr(pos, start - pos)));
    const auto stop = chunk.find('\n', at);
    assembler.feed(chunk.substr(start, std::min(stop - start, max_line)));
    pos = stop + 1;
  }
  assembler.skip(count_newlines(chunk.substr(pos)));
}

// The fast lane: whole-line chunks of about 1 MiB read in place (an unfinished last line moves to the front),
// one prefilter call each.
void read_fast(std::istream& in, const ReadOptions& options, Assembler& assembler) {
  std::vector<char> buf(kFastChunk + options.max_line + 1);
  std::vector<std::size_t> ends;
  std::size_t kept = 0;  // bytes of an unfinished line at the front of buf
  while (true) {
    in.read(buf.data() + kept, static_cast<std::streamsize>(kFastChunk));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    const std::string_view data(buf.data(), kept + got);
    const auto last_nl = data.rfind('\n');
    if (last_nl == std::string_view::npos) {
      kept = std::min(data.size(), options.max_line);  // one line longer than a chunk: keep its start only
      continue;
    }
    const std::string_view chunk = data.substr(0, last_nl + 1);
    ends.clear();
    options.prefilter(chunk, ends);
    feed_hit_lines(chunk, ends, options.max_line, assembler);
    const auto rest = data.substr(last_nl + 1);
    kept = std::min(rest.size(), options.max_line);
    std::memmove(buf.data(), rest.data(), kept);
  }
  if (kept > 0) {
    buf[kept] = '\n';
    const std::string_view chunk(buf.data(), kept + 1);
    ends.clear();
    options.prefilter(chunk, ends);
    feed_hit_lines(chunk, ends, options.max_line, assembler);
  }
}

}  // namespace

ReadStats read_events(std::istream& in, const std::string& file, const ReadOptions& options, const EventSink& sink) {
  Assembler assembler(file, options, sink);
  std::vector<std::string> head;
  bool detected = !options.forced_format.empty();
  if (detected) assembler.set_context(options.forced_format);
  if (options.prefilter) {
    // The first lines are read in full (detection, headers); the rest goes through the fast lane.
    std::string line;
    while (head.size() < kDetectLines && std::getline(in, line)) head.push_back(line.substr(0, options.max_line));
    if (!detected) assembler.set_context(detect_format(head));
    for (const auto& h : head) assembler.feed(h);
    read_fast(in, options, assembler);
    assembler.close_open();
    return {assembler.lines(), assembler.skipped()};
  }
  for_each_line(in, options.max_line, [&](std::string_view raw) {
    if (detected) return assembler.feed(raw);
    head.emplace_back(raw);
    if (head.size() < kDetectLines) return;
    assembler.set_context(detect_format(head));
    detected = true;
    for (const auto& h : head) assembler.feed(h);
    head.clear();
  });
  if (!detected) {
    assembler.set_context(detect_format(head));
    for (const auto& h : head) assembler.feed(h);
  }
  assembler.close_open();
  return {assembler.lines(), 0};
}

std::vector<Event> read_text(std::string_view text, const std::string& file, const ReadOptions& options) {
  std::istringstream in{std::string(text)};
  std::vector<Event> out;
  read_events(in, file, options, [&](const Event& ev) { out.push_back(ev); });
  return out;
}

}  // namespace sd::logs
