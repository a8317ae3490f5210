// probe: glue from URLs and flags to the probe kinds in src/probe/registry.cpp.
#include <charconv>

#include "cli/command.h"
#include "cli/fleet_cmd.h"
#include "probe/probe.h"
#include "whatif/change.h"

namespace sd::cli {
namespace {

bool parse_unsigned(const Invocation& inv, const std::string& name, unsigned min, unsigned max, unsigned& out,
                    std::string& error) {
  const std::string text = inv.get(name);
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < min || v > max) {
    error = "--" + name + ": '" + text + "' is not a number from " + std::to_string(min) + " to " + std::to_string(max);
    return false;
  }
  out = v;
  return true;
}

bool options_from(const Invocation& inv, probe::ProbeOptions& o, std::string& error) {
  unsigned rate = 0, timeout = 0;
  if (!parse_unsigned(inv, "max-connections", 1, 100000, o.max_connections, error) ||
      !parse_unsigned(inv, "budget", 1, 64, o.per_target_budget, error) ||
      !parse_unsigned(inv, "rate-ms", 0, 600000, rate, error) ||
      !parse_unsigned(inv, "timeout-ms", 50, 600000, timeout, error))
    return false;
  o.min_interval = std::chrono::milliseconds(rate);
  o.timeout = std::chrono::milliseconds(timeout);
  o.sni = inv.get("sni");
  o.profiles = inv.all("as");
  o.user = inv.get("user");
  o.password_env = inv.get("password-env");
  o.password_file = inv.get("password-file");
  o.key_file = inv.get("key-file");
  o.what_if = inv.all("what-if");
  for (const auto& change : o.what_if)
    if (!whatif::known_change(change, error)) return false;
  return true;
}

}  // namespace

int run_probe(const Invocation& inv) {
  if (inv.positionals.empty()) return input_error("probe: no target given (e.g. ftps://127.0.0.1:2121)");
  probe::ProbeOptions options;
  std::string error;
  if (!options_from(inv, options, error)) return input_error(error);
  // Every URL is checked before the first connection is made.
  std::vector<probe::Url> urls;
  for (const auto& text : inv.positionals) {
    auto url = probe::parse_url(text, error);
    if (!url) return input_error("probe: " + error);
    if (!whatif::parse_changes(options.what_if, whatif::protocol_of_scheme(url->scheme), error))
      return input_error("probe " + url->text + ": " + error);
    urls.push_back(*url);
  }
  Recorder recorder = open_recorder(inv);
  if (!recorder.error.empty()) return input_error(recorder.error);
  report::Report r;
  r.command = "probe";
  r.inputs = inv.positionals;
  std::vector<TargetStart> starts;
  for (const auto& url : urls) {
    starts.push_back({url.text, r.findings.size(), r.sections.size()});
    if (!probe::find_probe(url.scheme)->run(url, options, r, error)) return input_error("probe " + url.text + ": " + error);
  }
  return record(recorder, probe_runs(r, starts), emit(inv, r));
}

}  // namespace sd::cli
