// sd_kb_db OUT: compiles the knowledge base under data/kb (the copy embedded in sd_kb) into its Vectorscan
// databases and writes them serialised to OUT, for the shakedown binary to load at start-up instead of compiling.
#include <fstream>
#include <iostream>

#include "kb/matcher.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sd_kb_db OUT\n";
    return 2;
  }
  auto loaded = sd::kb::load_embedded();
  auto errors = loaded.errors;
  const auto matcher = errors.empty() ? sd::kb::Matcher::compile(std::move(loaded.kb), errors) : nullptr;
  for (const auto& e : errors) std::cerr << "sd_kb_db: " << e.where << ": " << e.message << "\n";
  // A KB that does not load or compile still gets a (empty) file: explain reports the error at run time.
  const std::string bytes = matcher ? matcher->serialize() : std::string();
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << bytes;
  return out ? 0 : 1;
}
