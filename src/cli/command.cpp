#include "cli/command.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/version.h"
#include "report/render.h"

namespace sd::cli {

std::string Invocation::get(const std::string& name) const {
  auto it = values.find(name);
  if (it != values.end() && !it->second.empty()) return it->second.back();
  for (const auto& o : global_options())
    if (o.name == name) return o.default_value;
  if (spec)
    for (const auto& o : spec->options)
      if (o.name == name) return o.default_value;
  return {};
}

std::vector<std::string> Invocation::all(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

bool Invocation::flag(const std::string& name) const {
  auto it = values.find(name);
  return it != values.end() && !it->second.empty();
}

int input_error(const std::string& what) {
  std::cerr << "shakedown: " << what << "\n";
  return kUsage;
}

int emit(const Invocation& inv, const report::Report& r) {
  const std::string format = inv.get("format");
  std::string body;
  if (format == "json") {
    body = report::render_json(r);
  } else if (format == "text") {
    body = report::render_text(r);
  } else if (format == "sarif") {
    body = report::render_sarif(r);
  } else {
    return input_error("--format: '" + format + "' is not one of text, json, sarif");
  }
  const std::string out = inv.get("output");
  if (out.empty() || out == "-") {
    std::cout << body << std::flush;
  } else {
    // Write beside the target and rename, so a failure never leaves half a report.
    const std::string tmp = out + ".shakedown-tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << body;
      if (!f.flush()) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        return input_error("--output: cannot write '" + out + "'");
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      return input_error("--output: cannot write '" + out + "': " + ec.message());
    }
  }
  return r.has_problems() ? kProblems : kOk;
}

namespace {

std::string roff_escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '-') out += "\\-";
    else out.push_back(c);
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void man_options(std::string& out, std::span<const OptionSpec> opts) {
  for (const auto& o : opts) {
    out += ".TP\n";
    out += fmt::format("\\fB{}\\fR{}\n", roff_escape(o.flags), o.value_name.empty() ? "" : " \\fI" + o.value_name + "\\fR");
    std::string help = o.help;
    if (!o.default_value.empty()) help += " Default: " + o.default_value + ".";
    if (o.repeatable) help += " May be repeated.";
    out += roff_escape(help) + "\n";
  }
}

}  // namespace

std::string man_page() {
  std::string out;
  out += fmt::format(".TH SHAKEDOWN 1 \"\" \"shakedown {}\" \"User Commands\"\n", kVersion);
  out += ".SH NAME\nshakedown \\- find out why a secure connection fails between two platforms\n";
  out += ".SH SYNOPSIS\n\\fBshakedown\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n";
  out += ".SH DESCRIPTION\n";
  out += roff_escape(
             "shakedown reads logs, traces and hex dumps of failed TLS, FTPS, SSH and IKEv2 handshakes between "
             "z/OS, AIX, IBM i, Linux and Windows peers, probes live endpoints, and audits configurations, and "
             "names the cause, the evidence, the side to change and the fix.") +
         "\n";
  out += ".SH GLOBAL OPTIONS\n";
  man_options(out, global_options());
  out += ".SH COMMANDS\n";
  for (const auto& c : commands()) {
    out += fmt::format(".SS \"{} [OPTIONS] {}...\"\n", c.name, c.positional);
    out += roff_escape(c.summary) + ".\n.PP\n" + roff_escape(c.description) + "\n";
    if (!c.positional.empty()) out += fmt::format(".TP\n\\fI{}...\\fR\n{}\n", c.positional, roff_escape(c.positional_help));
    man_options(out, c.options);
    if (!c.run) out += ".PP\nReserved: not available in this build yet.\n";
  }
  out += ".SH EXIT STATUS\n.TP\n0\nNothing wrong was found.\n.TP\n1\nProblems were found.\n.TP\n2\n"
         "Usage error or unreadable input; one line on standard error names the file or argument.\n";
  out += ".SH SAFETY\nshakedown never writes to a server, sends no credentials unless given, and never prints or "
         "logs a secret.\n";
  return out;
}

}  // namespace sd::cli
