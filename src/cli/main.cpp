// shakedown: the command line is glue over the libraries.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/version.h"

namespace {

using sd::cli::CommandSpec;
using sd::cli::Invocation;

void add_options(CLI::App& app, const std::vector<sd::cli::OptionSpec>& specs, Invocation& inv) {
  for (const auto& o : specs) {
    auto& slot = inv.values[o.name];
    if (o.value_name.empty()) {
      app.add_flag_callback(o.flags, [&slot] { slot.push_back("true"); }, o.help);
    } else {
      // One value per occurrence: a vector slot would otherwise swallow the positionals after it.
      auto* opt = app.add_option(o.flags, slot, o.help)->type_name(o.value_name)->allow_extra_args(false);
      if (!o.repeatable) opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
      if (!o.default_value.empty()) opt->default_str(o.default_value);
      if (!o.choices.empty()) opt->check(CLI::IsMember(o.choices));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"shakedown: find out why a secure connection fails between two platforms, before or after it does"};
  app.set_version_flag("--version", std::string(sd::cli::kVersion));
  bool man = false;
  app.add_flag("--man", man, "print the man page (roff) and exit");
  app.require_subcommand(0, 1);
  app.footer("Exit codes: 0 nothing wrong found, 1 problems found, 2 usage or input error.");

  std::vector<Invocation> invocations(sd::cli::commands().size());
  std::vector<CLI::App*> subs;
  const std::vector<sd::cli::OptionSpec> globals(sd::cli::global_options().begin(), sd::cli::global_options().end());
  for (std::size_t i = 0; i < sd::cli::commands().size(); ++i) {
    const CommandSpec& spec = sd::cli::commands()[i];
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->footer(spec.description + "\n\nExit codes: 0 nothing wrong found, 1 problems found, 2 usage or input error.");
    invocations[i].spec = &spec;
    add_options(*sub, globals, invocations[i]);
    add_options(*sub, spec.options, invocations[i]);
    if (!spec.positional.empty()) sub->add_option(spec.positional, invocations[i].positionals, spec.positional_help)->type_name("");
    subs.push_back(sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);
      return sd::cli::kOk;
    }
    std::cerr << "shakedown: " << e.what() << " (see shakedown --help)\n";
    return sd::cli::kUsage;
  }
  if (man) {
    std::cout << sd::cli::man_page();
    return sd::cli::kOk;
  }
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (!subs[i]->parsed()) continue;
    const Invocation& inv = invocations[i];
    if (!inv.spec->run) return sd::cli::input_error("'" + inv.spec->name + "' is not available in this build yet");
    try {
      return inv.spec->run(inv);
    } catch (const std::exception& e) {
      return sd::cli::input_error(std::string("internal error: ") + e.what());
    }
  }
  std::cout << app.help();
  return sd::cli::kUsage;
}
