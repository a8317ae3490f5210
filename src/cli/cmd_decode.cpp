// decode: glue from input files to the hex-dump and TLS decoders. (Filled in by the TLS/decode work.)
#include "cli/command.h"

namespace sd::cli {

int run_decode(const Invocation& inv) {
  report::Report r;
  r.command = "decode";
  r.inputs = inv.positionals;
  if (inv.positionals.empty()) return input_error("decode: no input file given (use - for standard input)");
  return emit(inv, r);
}

}  // namespace sd::cli
