#pragma once
// One live reproduction's result, produced once per test process and shared by its log test and its
// explain test.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "harness.h"

namespace sd::peers {

// The logs of both sides of one live run, kept in a temp dir for the life of the test process.
struct Capture {
  std::unique_ptr<TempDir> dir;
  std::map<std::string, fs::path> files;  // name under tests/vectors/logs/live/<case>/ -> collected file
  std::string answer;                     // raw bytes a raw client received, when there was one
  int client_exit = -1;                   // exit code of the real client, when there was one

  // The text of one collected file (fails the test if it was not collected).
  std::string text(const std::string& name) const {
    const auto it = files.find(name);
    EXPECT_NE(it, files.end()) << "no collected file " << name;
    return it == files.end() ? std::string() : read_text(it->second);
  }
  // All collected files, for explain.
  std::vector<fs::path> paths() const {
    std::vector<fs::path> out;
    for (const auto& [name, path] : files) out.push_back(path);
    return out;
  }
};

// Runs `produce` once per process (the first caller pays), saves the capture under `case_name` when
// SD_UPDATE_VECTORS=1, and returns it.
const Capture& captured(const std::string& case_name, const std::function<Capture()>& produce);

// Asserts that explain names `id` for the capture's logs.
void expect_diagnosis(const Capture& capture, const std::string& id);

}  // namespace sd::peers
