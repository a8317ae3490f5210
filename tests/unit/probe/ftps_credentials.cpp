// Password sources of the FTPS check: an environment variable or a file's first line, never anything else.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "probe/ftps/credentials.h"

namespace sd::probe::ftps {
namespace {

TEST(FtpsCredentials, FromEnvironment) {
  ::setenv("SD_FTPS_TEST_PASSWORD", "env-s3cret", 1);
  ProbeOptions o;
  o.user = "probe";
  o.password_env = "SD_FTPS_TEST_PASSWORD";
  std::string error;
  const auto secret = read_password(o, error);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_EQ(secret->reveal(), "env-s3cret");
  ::unsetenv("SD_FTPS_TEST_PASSWORD");
}

TEST(FtpsCredentials, UnsetVariableNamesItWithoutValue) {
  ProbeOptions o;
  o.password_env = "SD_FTPS_TEST_UNSET";
  ::unsetenv("SD_FTPS_TEST_UNSET");
  std::string error;
  EXPECT_FALSE(read_password(o, error).has_value());
  EXPECT_EQ(error, "the environment variable SD_FTPS_TEST_UNSET is not set");
}

TEST(FtpsCredentials, FirstLineOfFileWithoutTerminator) {
  const auto path = std::filesystem::temp_directory_path() / "sd-ftps-credentials-test.txt";
  std::ofstream(path) << "file-s3cret\r\nsecond line\n";
  ProbeOptions o;
  o.password_file = path.string();
  std::string error;
  const auto secret = read_password(o, error);
  std::filesystem::remove(path);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_EQ(secret->reveal(), "file-s3cret");
}

TEST(FtpsCredentials, NoSourceIsAnError) {
  ProbeOptions o;
  o.user = "probe";
  std::string error;
  EXPECT_FALSE(read_password(o, error).has_value());
  EXPECT_EQ(error, "--user needs --password-env or --password-file");
  o.password_file = "/nonexistent/sd-password";
  EXPECT_FALSE(read_password(o, error).has_value());
  EXPECT_EQ(error, "cannot read a first line from /nonexistent/sd-password");
}

}  // namespace
}  // namespace sd::probe::ftps
