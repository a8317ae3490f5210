// decode: glue from input files to the decode layer and the report model.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/command.h"
#include "wire/decode/decode.h"

namespace sd::cli {

namespace {

/// The whole input, or nullopt when it cannot be read.
std::optional<std::string> read_input(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::string section_title(const decode::Message& m) {
  std::string title = m.summary.message;
  if (!m.label.empty()) title += " — " + m.label;
  return title;
}

report::Section section_for(const decode::Message& m, const std::string& file) {
  report::Section s;
  s.kind = "decoded";
  s.title = section_title(m);
  s.source = file + ":" + std::to_string(m.first_line) + (m.last_line != m.first_line ? "-" + std::to_string(m.last_line) : "");
  s.fields.push_back(decode::summary_field(m));
  s.fields.insert(s.fields.end(), m.fields.begin(), m.fields.end());
  s.notes = m.notes;
  s.notes.push_back("Source lines " + std::to_string(m.first_line) + "-" + std::to_string(m.last_line) + " (" +
                    (m.dump_format.empty() ? std::string("dump") : m.dump_format) + " dump, " + m.kind + ").");
  return s;
}

}  // namespace

int run_decode(const Invocation& inv) {
  report::Report r;
  r.command = "decode";
  r.inputs = inv.positionals;
  if (inv.positionals.empty()) return input_error("decode: no input file given (use - for standard input)");
  for (const auto& file : inv.positionals) {
    const auto text = read_input(file);
    if (!text) return input_error("decode: cannot read '" + file + "'");
    const auto messages = decode::decode_text(*text);
    if (messages.empty()) r.notes.push_back(file + ": no hex dump found.");
    for (const auto& m : messages) r.sections.push_back(section_for(m, file));
    auto found = decode::findings(messages, file);
    r.findings.insert(r.findings.end(), found.begin(), found.end());
  }
  return emit(inv, r);
}

}  // namespace sd::cli
