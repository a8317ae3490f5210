#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/render.h"

namespace sd::report {
namespace {

Report sample() {
  Report r;
  r.command = "explain";
  r.inputs = {"ftp.log"};
  Finding f;
  f.id = "ftps.vsftpd-require-ssl-reuse";
  f.title = "Server requires TLS session reuse on the data connection";
  f.severity = Severity::high;
  f.cause = "vsftpd refused a data connection that did not resume the control session.";
  f.change_side = "server";
  f.fixes.push_back({"server", "Stop requiring reuse", "require_ssl_reuse=NO", "weaker binding of data to control"});
  f.evidence.push_back({"ftp.log", 12, "522 SSL connection failed; session reuse required", "", std::nullopt, "server"});
  f.references.push_back({"vsftpd.conf(5)", "", "require_ssl_reuse"});
  r.findings.push_back(f);
  Section ladder;
  ladder.kind = "ladder";
  ladder.title = "exchange";
  ladder.fields = {leaf("client->server", "ClientHello TLS 1.0"), leaf("server->client", "550 T (plaintext)"),
                   leaf("break", "client gave up: rc 410")};
  r.sections.push_back(ladder);
  Section dec;
  dec.kind = "decoded";
  dec.title = "ClientHello";
  dec.source = "trace.txt:20-23";
  Field hello = leaf("client_hello", "", 0, 57, 1);
  hello.add(leaf("version", "TLS 1.0", 4, 2, 0x0301));
  dec.fields.push_back(hello);
  dec.notes.push_back("offers TLS 1.0 at most");
  r.sections.push_back(dec);
  return r;
}

TEST(Report, ProblemsOnlyAboveInfo) {
  Report r;
  EXPECT_FALSE(r.has_problems());
  Finding f;
  f.severity = Severity::info;
  r.findings.push_back(f);
  EXPECT_FALSE(r.has_problems());
  r.findings[0].severity = Severity::low;
  EXPECT_TRUE(r.has_problems());
}

TEST(RenderJson, CarriesTheWholeModel) {
  const auto j = nlohmann::json::parse(render_json(sample()));
  EXPECT_EQ(j["schema_version"], "1");
  EXPECT_EQ(j["command"], "explain");
  EXPECT_EQ(j["problems_found"], true);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["id"], "ftps.vsftpd-require-ssl-reuse");
  EXPECT_EQ(f["severity"], "high");
  EXPECT_EQ(f["fixes"][0]["snippet"], "require_ssl_reuse=NO");
  EXPECT_EQ(f["evidence"][0]["line"], 12);
  EXPECT_EQ(f["evidence"][0]["side"], "server");
  EXPECT_FALSE(f["evidence"][0].contains("bytes"));
  EXPECT_EQ(j["sections"][1]["fields"][0]["children"][0]["code"], 0x0301);
  EXPECT_EQ(j["sections"][1]["notes"][0], "offers TLS 1.0 at most");
}

// Every key the renderer writes is one the schema declares, and every required key is written.
void check_keys(const nlohmann::json& value, const nlohmann::json& schema, const nlohmann::json& defs) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return check_keys(value, defs[ref.substr(ref.rfind('/') + 1)], defs);
  }
  if (value.is_object() && schema.contains("properties")) {
    for (const auto& req : schema.value("required", nlohmann::json::array()))
      EXPECT_TRUE(value.contains(req)) << "missing required key " << req;
    for (const auto& [k, v] : value.items()) {
      ASSERT_TRUE(schema["properties"].contains(k)) << "key not in schema: " << k;
      check_keys(v, schema["properties"][k], defs);
    }
  }
  if (value.is_array() && schema.contains("items"))
    for (const auto& v : value) check_keys(v, schema["items"], defs);
}

TEST(RenderJson, MatchesTheDocumentedSchema) {
  std::ifstream in(std::string(SD_SOURCE_DIR) + "/docs/report.schema.json");
  ASSERT_TRUE(in.good());
  const auto schema = nlohmann::json::parse(in);
  check_keys(nlohmann::json::parse(render_json(sample())), schema, schema["$defs"]);
}

TEST(RenderText, ShowsFindingEvidenceFixAndLadder) {
  const std::string t = render_text(sample());
  EXPECT_NE(t.find("[1] Server requires TLS session reuse on the data connection (ftps.vsftpd-require-ssl-reuse, high)"),
            std::string::npos);
  EXPECT_NE(t.find("ftp.log:12 (server): 522 SSL connection failed"), std::string::npos);
  EXPECT_NE(t.find("fix (server): Stop requiring reuse"), std::string::npos);
  EXPECT_NE(t.find("      require_ssl_reuse=NO"), std::string::npos);
  EXPECT_NE(t.find("-- ClientHello TLS 1.0 "), std::string::npos);
  EXPECT_NE(t.find(" 550 T (plaintext) --|"), std::string::npos);
  EXPECT_NE(t.find("X  client gave up: rc 410"), std::string::npos);
  EXPECT_NE(t.find("    version: TLS 1.0"), std::string::npos);
  EXPECT_NE(t.find("  * offers TLS 1.0 at most"), std::string::npos);
}

TEST(RenderText, EmptyReportIsEmpty) { EXPECT_EQ(render_text(Report{}), ""); }

}  // namespace
}  // namespace sd::report
