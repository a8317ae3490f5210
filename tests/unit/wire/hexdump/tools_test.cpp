// Dumps printed by the real tools on this machine (see tests/vectors/hexdump/make-vectors.sh):
// every byte must come back, tied to the right line, and nothing else may be read as a byte.
#include <gtest/gtest.h>

#include "support.h"
#include "wire/hexdump/hexdump.h"

namespace sd::hexdump {
namespace {

using test::hex_lines;
using test::vector_text;

struct ToolCase {
  const char* file;       ///< the tool's output
  const char* blob;       ///< blob-<blob>.hex holds the bytes it was given
  const char* format;     ///< expected Dump::format
  std::size_t last_line;  ///< expected Dump::last_line (the dump starts on line 1)
};

class ToolOutput : public ::testing::TestWithParam<ToolCase> {};

TEST_P(ToolOutput, RecoversExactlyTheBytesGiven) {
  const ToolCase& c = GetParam();
  const std::string text = vector_text(c.file);
  ASSERT_FALSE(text.empty()) << c.file;
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u) << c.file;
  const Dump& d = dumps.front();
  EXPECT_EQ(d.format, c.format);
  EXPECT_EQ(d.bytes, hex_lines(std::string("blob-") + c.blob + ".hex").at(0));
  EXPECT_EQ(d.first_line, 1u);
  EXPECT_EQ(d.last_line, c.last_line);
  EXPECT_EQ(d.label, "");
  EXPECT_EQ(d.direction, "");
  EXPECT_FALSE(d.truncated);
  ASSERT_EQ(d.byte_lines.size(), d.bytes.size());
  EXPECT_EQ(d.byte_lines.front(), 1u);
}

// clienthello: 206 bytes (13 lines of 16 = 208 > 206, last line 14 bytes); tricky: 131 bytes with a run of
// zeros that od, hexdump -C and xxd -a fold into '*'; zeros: 48 zeros and "abc", folded right after the
// first line (od's octal offsets must not be read as hex there). od and hexdump -C end with a bare total.
INSTANTIATE_TEST_SUITE_P(
    Vectors, ToolOutput,
    ::testing::Values(ToolCase{"xxd-clienthello.txt", "clienthello", "xxd", 13},
                      ToolCase{"xxd-tricky.txt", "tricky", "xxd", 9},
                      ToolCase{"xxd-g1-clienthello.txt", "clienthello", "xxd", 13},
                      ToolCase{"xxd-g1-tricky.txt", "tricky", "xxd", 9},
                      ToolCase{"xxd-a-clienthello.txt", "clienthello", "xxd", 13},
                      ToolCase{"xxd-a-tricky.txt", "tricky", "xxd", 8},
                      ToolCase{"od-x1z-clienthello.txt", "clienthello", "od", 14},
                      ToolCase{"od-x1z-tricky.txt", "tricky", "od", 9},
                      ToolCase{"od-x1-clienthello.txt", "clienthello", "od", 14},
                      ToolCase{"od-x1-tricky.txt", "tricky", "od", 9},
                      ToolCase{"hexdump-C-clienthello.txt", "clienthello", "hexdump-C", 14},
                      ToolCase{"hexdump-C-tricky.txt", "tricky", "hexdump-C", 9},
                      ToolCase{"plain-clienthello.txt", "clienthello", "plain", 7},
                      ToolCase{"plain-tricky.txt", "tricky", "plain", 5},
                      ToolCase{"xxd-zeros.txt", "zeros", "xxd", 4},
                      ToolCase{"xxd-g1-zeros.txt", "zeros", "xxd", 4},
                      ToolCase{"xxd-a-zeros.txt", "zeros", "xxd", 3},
                      ToolCase{"od-x1z-zeros.txt", "zeros", "od", 4},
                      ToolCase{"od-x1-zeros.txt", "zeros", "od", 4},
                      ToolCase{"hexdump-C-zeros.txt", "zeros", "hexdump-C", 4},
                      ToolCase{"plain-zeros.txt", "zeros", "plain", 2}),
    [](const auto& info) {
      std::string name = info.param.file;
      name = name.substr(0, name.find('.'));
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(ToolOutput, RepeatLineBytesBelongToTheStarLine) {
  // od -A x -t x1z: line 5 holds zeros at 0x40; line 6 is '*' standing for the lines at 0x50 and 0x60.
  const auto dumps = recover(vector_text("od-x1z-tricky.txt"));
  ASSERT_EQ(dumps.size(), 1u);
  const Dump& d = dumps.front();
  EXPECT_EQ(d.byte_lines.at(0x40), 5u);
  EXPECT_EQ(d.byte_lines.at(0x50), 6u);
  EXPECT_EQ(d.byte_lines.at(0x6f), 6u);
  EXPECT_EQ(d.byte_lines.at(0x70), 7u);
  EXPECT_EQ(d.byte_lines.back(), 8u);
}

/// Checks that the dumps are the captured frames, one each, less `skip` leading bytes.
void expect_frames(const std::vector<Dump>& dumps, const char* format, std::size_t skip) {
  const auto frames = hex_lines("pcap-frames.hex");
  ASSERT_EQ(frames.size(), 14u);
  ASSERT_EQ(dumps.size(), frames.size());
  for (std::size_t i = 0; i < dumps.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(dumps[i].format, format);
    EXPECT_EQ(dumps[i].bytes, ByteVec(frames[i].begin() + static_cast<std::ptrdiff_t>(skip), frames[i].end()));
  }
}

TEST(ToolOutput, TcpdumpXGivesEveryPacketFromTheIpHeader) {
  const auto dumps = recover(vector_text("tcpdump-X.txt"));
  expect_frames(dumps, "tcpdump", 14);  // -X leaves out the 14-byte link header
  for (const Dump& d : dumps) EXPECT_NE(d.label.find(" IP 127.0.0.1."), std::string::npos) << d.label;
  ASSERT_FALSE(dumps.empty());
  EXPECT_EQ(dumps[0].first_line, 2u);
  EXPECT_EQ(dumps[0].last_line, 5u);
  EXPECT_EQ(dumps[0].label,
            "01:26:19.305429 IP 127.0.0.1.59198 > 127.0.0.1.47443: Flags [S], seq 3752582030, win 65495, options "
            "[mss 65495,sackOK,TS val 4247009341 ecr 0,nop,wscale 10], length 0");
  ASSERT_EQ(dumps[0].byte_lines.size(), 60u);
  EXPECT_EQ(dumps[0].byte_lines[15], 2u);
  EXPECT_EQ(dumps[0].byte_lines[16], 3u);
  EXPECT_EQ(dumps[0].byte_lines[59], 5u);
}

TEST(ToolOutput, TcpdumpLowerXWithoutColumnGivesTheSamePackets) {
  expect_frames(recover(vector_text("tcpdump-x.txt")), "tcpdump", 14);
}

TEST(ToolOutput, TcpdumpLowerXXWithoutColumnGivesTheSameFrames) {
  const auto dumps = recover(vector_text("tcpdump-xx.txt"));
  expect_frames(dumps, "tcpdump", 0);
  ASSERT_FALSE(dumps.empty());
  EXPECT_EQ(dumps[0].first_line, 2u);
  EXPECT_EQ(dumps[0].last_line, 6u);
}

TEST(ToolOutput, TcpdumpXXGivesEveryFrameWithItsLinkHeader) {
  expect_frames(recover(vector_text("tcpdump-XX.txt")), "tcpdump", 0);
}

TEST(ToolOutput, TsharkXGivesEveryFrame) {
  const auto dumps = recover(vector_text("tshark-x.txt"));
  expect_frames(dumps, "wireshark", 0);
  for (const Dump& d : dumps) EXPECT_EQ(d.label, "");
  ASSERT_GE(dumps.size(), 2u);
  EXPECT_EQ(dumps[1].first_line, 7u);
  EXPECT_EQ(dumps[1].last_line, 11u);
}

TEST(ToolOutput, OpensslMsgSplitsRecordsByHeaderLineAndDirection) {
  const auto payloads = hex_lines("pcap-client-payloads.hex");
  const auto dumps = recover(vector_text("openssl-msg.txt"));
  ASSERT_EQ(dumps.size(), 26u);  // 25 records, and the session ticket s_client prints with BIO_dump
  for (const Dump& d : dumps) {
    if (d.format != "openssl-msg") continue;
    EXPECT_EQ(d.direction, d.label.starts_with(">>>") ? "sent" : "received") << d.label;
  }
  // The first client payload on the wire is the record header and the ClientHello, as -msg shows them.
  ByteVec hello_record = dumps[0].bytes;
  hello_record.insert(hello_record.end(), dumps[1].bytes.begin(), dumps[1].bytes.end());
  EXPECT_EQ(hello_record, payloads.at(0));
  EXPECT_EQ(dumps[0].label, ">>> TLS 1.0, RecordHeader [length 0005]");
  EXPECT_EQ(dumps[0].first_line, 3u);
  EXPECT_EQ(dumps[0].last_line, 3u);
  EXPECT_EQ(dumps[1].label, ">>> TLS 1.2, Handshake [length 00c9], ClientHello");
  EXPECT_EQ(dumps[1].first_line, 5u);
  EXPECT_EQ(dumps[1].last_line, 17u);
  EXPECT_EQ(dumps[1].bytes.size(), 0xc9u);
  EXPECT_EQ(dumps[3].label, "<<< TLS 1.2, Handshake [length 0041], ServerHello");
  EXPECT_EQ(dumps[3].bytes.size(), 0x41u);
  EXPECT_EQ(dumps[13].label, ">>> TLS 1.2, ChangeCipherSpec [length 0001]");
  EXPECT_EQ(dumps[13].bytes, ByteVec{0x01});
  const Dump& ticket = dumps[21];
  EXPECT_EQ(ticket.format, "openssl-debug");
  EXPECT_EQ(ticket.label, "TLS session ticket:");
  EXPECT_EQ(ticket.direction, "");
  EXPECT_EQ(ticket.bytes.size(), 0xb0u);
  EXPECT_EQ(ticket.first_line, 195u);
  EXPECT_EQ(ticket.last_line, 205u);
  // "0000 - db 32 c4 6c 9e f1 9e 3f-21 6d …": the dash joins the eighth and ninth bytes.
  EXPECT_EQ(ByteVec(ticket.bytes.begin(), ticket.bytes.begin() + 10), test::hex("db32c46c9ef19e3f216d"));
  EXPECT_EQ(dumps[25].label, ">>> TLS 1.2, Alert [length 0002], warning close_notify");
  EXPECT_EQ(dumps[25].format, "openssl-msg");
  EXPECT_EQ(dumps[25].bytes, (ByteVec{0x01, 0x00}));
}

TEST(ToolOutput, OpensslMsgSessionTextAfterTheRecordsGivesNoDumps) {
  // Session-ID, Master-Key and the PEM certificate follow the records; none of them is a dump.
  const auto dumps = recover(vector_text("openssl-msg.txt"));
  ASSERT_FALSE(dumps.empty());
  EXPECT_EQ(dumps.back().last_line, 220u);
}

TEST(ToolOutput, OpensslMsgTls13ShowsInnerContentTypesAsOwnDumps) {
  const auto dumps = recover(vector_text("openssl-msg-tls13.txt"));
  ASSERT_EQ(dumps.size(), 25u);
  EXPECT_EQ(dumps[0].label, ">>> TLS 1.0, RecordHeader [length 0005]");
  EXPECT_EQ(dumps[0].bytes, test::hex("16030100ee"));
  EXPECT_EQ(dumps[1].label, ">>> TLS 1.3, Handshake [length 00ee], ClientHello");
  EXPECT_EQ(dumps[1].bytes.size(), 0xeeu);
  EXPECT_EQ(dumps[1].first_line, 5u);
  EXPECT_EQ(dumps[1].last_line, 19u);
  EXPECT_EQ(dumps[6].label, "<<< TLS 1.3, InnerContent [length 0001]");
  EXPECT_EQ(dumps[6].direction, "received");
  EXPECT_EQ(dumps[6].bytes, ByteVec{0x16});
  EXPECT_EQ(dumps[7].label, "<<< TLS 1.3, Handshake [length 0006], EncryptedExtensions");
  EXPECT_EQ(dumps[7].bytes, test::hex("080000020000"));
  EXPECT_EQ(dumps[24].label, ">>> TLS 1.3, Alert [length 0002], warning close_notify");
  EXPECT_EQ(dumps[24].direction, "sent");
}

/// The N of "(N bytes => …)" in an OpenSSL BIO callback line, or 0.
std::size_t bio_count(const std::string& label) {
  const auto open = label.find("] (");
  return open == std::string::npos ? 0 : std::stoul(label.substr(open + 3));
}

TEST(ToolOutput, OpensslDebugDumpsHoldAsManyBytesAsTheirHeaderLineSays) {
  const auto dumps = recover(vector_text("openssl-debug.txt"));
  ASSERT_EQ(dumps.size(), 21u);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < dumps.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(dumps[i].format, "openssl-debug");
    if (i == 4 || i == 5 || i == 17) continue;  // split by interleaved stderr, and the session ticket
    EXPECT_EQ(dumps[i].bytes.size(), bio_count(dumps[i].label)) << dumps[i].label;
    EXPECT_EQ(dumps[i].direction, dumps[i].label.starts_with("write to") ? "sent" : "received");
    ++checked;
  }
  EXPECT_EQ(checked, 18u);
  EXPECT_EQ(dumps[0].bytes.size(), 206u);
  EXPECT_EQ(dumps[0].first_line, 3u);
  EXPECT_EQ(dumps[0].last_line, 15u);
  // A line of exactly eight bytes ends with a dash: "0020 - e7 5a 31 bf 46 0c 2a 1d-".
  EXPECT_EQ(dumps[16].bytes.size(), 40u);
  EXPECT_EQ(ByteVec(dumps[16].bytes.end() - 2, dumps[16].bytes.end()), test::hex("2a1d"));
  // "01f0 - 69 8a depth=0 CN = localhost": stderr broke into the 791-byte read at line 58, so its
  // bytes come out as the part before (0x000-0x1ef) and the part after (0x200-0x316); line 58-59 are lost.
  EXPECT_EQ(bio_count(dumps[4].label), 791u);
  EXPECT_EQ(dumps[4].bytes.size(), 0x1f0u);
  EXPECT_EQ(dumps[4].last_line, 57u);
  EXPECT_EQ(dumps[5].bytes.size(), 0x317u - 0x200u);
  EXPECT_EQ(dumps[5].first_line, 60u);
  EXPECT_EQ(dumps[17].label, "TLS session ticket:");
  EXPECT_EQ(dumps[17].bytes.size(), 0xb0u);
}

}  // namespace
}  // namespace sd::hexdump
