// Hand-written shapes around the edges: what must not become a dump, where one dump ends and the next
// begins, labels, and the size cap. Every expected byte is stated in the test.
#include <gtest/gtest.h>

#include <string>

#include "support.h"
#include "wire/hexdump/hexdump.h"

namespace sd::hexdump {
namespace {

using test::hex;

TEST(Prose, NumbersTimestampsAddressesAndHexWordsAreNotDumps) {
  const std::string text =
      "S0W1 MESSAGE 00000008 01:49:34.380195 SSL_INFO\n"
      "Job SJP1 Process 0501028D Thread 00000001 send_v3_client_hello\n"
      "FC1103 authServer: secure_socket_init failed with rc = 410 (SSL message format\n"
      "SSL V3 client handshake failed with 67.208.93.232.21.\n"
      "2026-11-22 01:49:34.380195 connection from 10.1.2.3 port 50123\n"
      "0501028D\n"
      "1234 5678\n"
      "deadbeef cafebabe\n"
      "20261122014934\n"
      "Error 0x0000001A at 0x7ffe1234\n"
      "00000040: 0102 0304  ....\n"  // a lone line that does not start a dump at offset 0
      "0000000 0316 0001 0000\n"      // od -x words are little-endian: not read as bytes
      "0000: DeadBeef\n";
  EXPECT_TRUE(recover(text).empty());
}

TEST(Prose, EmptyAndBlankTextGiveNothing) {
  EXPECT_TRUE(recover("").empty());
  EXPECT_TRUE(recover("\n\n  \t\n").empty());
  EXPECT_TRUE(recover("*\n*\n").empty());
}

TEST(Boundaries, AnOffsetJumpStartsANewDump) {
  const std::string text =
      "00000000: 0102 0304 0506 0708 090a 0b0c 0d0e 0f10  ................\n"
      "00000010: 1112 1314 1516 1718 191a 1b1c 1d1e 1f20  ............... \n"
      "00000040: 4142 4344 4546 4748 494a 4b4c 4d4e 4f50  ABCDEFGHIJKLMNOP\n"
      "00000050: 5152                                     QR\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_EQ(dumps[0].bytes.size(), 32u);
  EXPECT_EQ(dumps[0].last_line, 2u);
  EXPECT_EQ(dumps[1].bytes, hex("4142434445464748494a4b4c4d4e4f50 5152"));
  EXPECT_EQ(dumps[1].first_line, 3u);
  EXPECT_EQ(dumps[1].last_line, 4u);
}

TEST(Boundaries, TextBetweenDumpsSeparatesThemAndLabelsTheSecond) {
  const std::string text =
      "client says:\n"
      "0000  16 03 01 00 05 01 02 03 04 05                     ..........\n"
      "server says:\n"
      "\n"
      "0000  15 03 03 00 02 02 28                              ......(\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_EQ(dumps[0].format, "wireshark");
  EXPECT_EQ(dumps[0].label, "client says:");
  EXPECT_EQ(dumps[0].bytes, hex("16030100050102030405"));
  EXPECT_EQ(dumps[1].label, "server says:");
  EXPECT_EQ(dumps[1].bytes, hex("15030300020228"));
  EXPECT_EQ(dumps[1].first_line, 5u);
}

TEST(Boundaries, WiresharkDoubleBlankAfterEightBytesIsInsideTheHex) {
  const std::string text =
      "0000  16 03 01 00 c4 01 00 00  c0 03 03 a1 b2 c3 d4 e5   ................\n"
      "0010  61 62 20 63 64 65 66 67                            ab cdefg\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("16030100c4010000c00303a1b2c3d4e5 61622063 64656667"));
}

TEST(Boundaries, XxdEightByteLinesDoNotTakeTheColumnForBytes) {
  // xxd -g1 -c8: after eight bytes and a double blank comes the column "ab cd ef", which looks like hex.
  const std::string text =
      "00000000: 61 62 20 63 64 20 65 66  ab cd ef\n"
      "00000008: 0a 0b                    ..\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("61622063642065660a0b"));
}

TEST(Boundaries, AColumnInTheOtherLetterCaseIsNotMistakenForMixedHex) {
  const std::string text = "00000000: 4142 435a 0a                                ABCZ.\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("4142435a0a"));
}

TEST(Boundaries, CarriageReturnsAreIgnored) {
  const std::string text = "V3 CLIENT-HELLO message\r\n00000000: 35353020 54 *550 T *\r\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("3535302054"));
  EXPECT_EQ(dumps[0].label, "V3 CLIENT-HELLO message");
}

TEST(Boundaries, PowerShellFormatHexRulerIsNotADump) {
  // The layout of Windows PowerShell 5.1 Format-Hex: a ruler line, then offset, three blanks, bytes, column.
  const std::string text =
      "           00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F\n"
      "\n"
      "00000000   16 03 01 00 C4 01 00 00 C0 03 03 A1 B2 C3 D4 E5  ....Ä...À..¡²ÃÔå\n"
      "00000010   61 62                                            ab\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("16030100C4010000C00303A1B2C3D4E5 6162"));
  EXPECT_EQ(dumps[0].first_line, 3u);
  EXPECT_EQ(dumps[0].last_line, 4u);
}

// Java JSSE debug output, laid out as sun.security.util.HexDumpEncoder writes it: a 4-digit offset and
// ": ", upper-case bytes, three blanks after the eighth, and a column where bytes above 'z' are dots.
// (No Java runtime on this machine: the lines are written by hand from that layout.)
TEST(Java, RawWriteAndRawReadDumpsWithTheirDirections) {
  const std::string text =
      "javax.net.ssl|DEBUG|01|main|2026-11-22 01:49:34.380 UTC|SSLSocketOutputRecord.java:241|Raw write (\n"
      "  0000: 16 03 03 00 2A 01 00 00   26 03 03 7B 7C 7D 7E 61  ....*...&......a\n"
      "  0010: 62 63 20 64                                       bc d\n"
      ")\n"
      "main, READ: TLSv1.2 Alert, length = 2\n"
      "[Raw read]: length = 7\n"
      "0000: 15 03 03 00 02 02 28                               ......(\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_EQ(dumps[0].format, "java");
  EXPECT_EQ(dumps[0].direction, "sent");
  EXPECT_EQ(dumps[0].bytes, hex("160303002A010000 260303 7B7C7D7E61 62632064"));
  EXPECT_EQ(dumps[0].first_line, 2u);
  EXPECT_EQ(dumps[0].last_line, 3u);
  EXPECT_EQ(dumps[1].direction, "received");
  EXPECT_EQ(dumps[1].label, "[Raw read]: length = 7");
  EXPECT_EQ(dumps[1].bytes, hex("15030300020228"));
}

TEST(Zos, EbcdicColumnIsNotCheckedAgainstAscii) {
  // SSL_EBCDIC_DUMP: the column shows the bytes as EBCDIC, so it need not match an ASCII rendering.
  const std::string text =
      "S0W1 DUMP 00000020 01:49:34.468808 SSL_EBCDIC_DUMP\n"
      "Job SJP1 Process 0501028D Thread 00000001 gsk_read_v3_record\n"
      "00000000: F5F5F040 E3 *550 T *\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].bytes, hex("F5F5F040E3"));
  EXPECT_EQ(dumps[0].format, "zos-systemssl");
  // Only trace headers above: the nearest one is the label, and its routine gives the direction.
  EXPECT_EQ(dumps[0].label, "Job SJP1 Process 0501028D Thread 00000001 gsk_read_v3_record");
  EXPECT_EQ(dumps[0].direction, "received");
}

TEST(Zos, ColumnMustBeClosed) {
  EXPECT_TRUE(recover("00000000: 35353020 54 *550 T\n").empty());
}

TEST(Plain, ContinuousAndSpacedRunsAreDumps) {
  const std::string text =
      "hello as sent:\n"
      "16030100c9010000c50303\n"
      "c37c4766bfe8\n"
      "and spaced:\n"
      "  16 03 01 00 c9 01 00 00\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_EQ(dumps[0].format, "plain");
  EXPECT_EQ(dumps[0].label, "hello as sent:");
  EXPECT_EQ(dumps[0].bytes, hex("16030100c9010000c50303c37c4766bfe8"));
  EXPECT_EQ(dumps[0].byte_lines.at(10), 2u);
  EXPECT_EQ(dumps[0].byte_lines.at(11), 3u);
  EXPECT_EQ(dumps[1].label, "and spaced:");
  EXPECT_EQ(dumps[1].bytes, hex("16030100c9010000"));
}

TEST(Plain, ShortRunsAndDigitOnlyNumbersAreNot) {
  EXPECT_TRUE(recover("16 03 01 00 c9\n").empty());             // five bytes: too few to tell from numbers
  EXPECT_TRUE(recover("1234567890123456\n").empty());           // a 16-digit number
  EXPECT_TRUE(recover("115292150460684697\n576460752303423487\n").empty());  // decimal numbers, one a line
  EXPECT_TRUE(recover("0123456789abcdef0123456789ABCDEF\n").empty());  // mixed case: not a dump line
}

TEST(OpensslMsg, HeaderWithoutBytesGivesNothingAndTextEndsTheDump) {
  const std::string text =
      ">>> TLS 1.2, RecordHeader [length 0005]\n"
      "CONNECTED(00000003)\n"
      "    16 03 01 00 c9\n"
      "<<< TLS 1.2, Alert [length 0002], fatal handshake_failure\n"
      "    02 28\n"
      "140000000:error:0A000410:SSL routines::sslv3 alert handshake failure\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].format, "openssl-msg");
  EXPECT_EQ(dumps[0].direction, "received");
  EXPECT_EQ(dumps[0].label, "<<< TLS 1.2, Alert [length 0002], fatal handshake_failure");
  EXPECT_EQ(dumps[0].bytes, hex("0228"));
  EXPECT_EQ(dumps[0].first_line, 5u);
}

TEST(Cap, RepeatLinesStopAtTheCapAndSaySo) {
  // hexdump -C: a '*' then an offset 1 GiB further on would stand for 1 GiB of zeros.
  const std::string text =
      "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
      "*\n"
      "40000000\n";
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_TRUE(dumps[0].truncated);
  EXPECT_EQ(dumps[0].bytes.size(), kMaxDumpBytes);
  EXPECT_EQ(dumps[0].byte_lines.size(), kMaxDumpBytes);
  EXPECT_EQ(dumps[0].byte_lines.back(), 2u);
  EXPECT_EQ(dumps[0].last_line, 3u);
}

TEST(Cap, ALongPlainDumpStopsAtTheCapAndTheNextDumpStartsAfresh) {
  // Five lines of 32 bytes under a 100-byte cap: four lines fit (three whole, four bytes of the fourth).
  const std::string line(64, 'a');
  const std::string text = line + "\n" + line + "\n" + line + "\n" + line + "\n" + line + "\nnext:\n" + line + "\n";
  const auto dumps = recover(text, Limits{100, 100});
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_TRUE(dumps[0].truncated);
  EXPECT_EQ(dumps[0].bytes.size(), 100u);
  EXPECT_EQ(dumps[0].byte_lines.back(), 4u);
  EXPECT_EQ(dumps[0].last_line, 5u);
  EXPECT_FALSE(dumps[1].truncated);
  EXPECT_EQ(dumps[1].bytes, ByteVec(32, 0xaa));
  EXPECT_EQ(dumps[1].label, "next:");
}

TEST(Cap, TheRepeatBudgetIsSharedByTheWholeText) {
  // Two od dumps whose '*' each stand for 64 zero bytes; a budget of 96 covers the first and half the second,
  // and a dump that has lost bytes takes no more (its last byte would stand at the wrong offset).
  const std::string dump =
      "0000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
      "*\n"
      "0000120 01\n";
  const auto dumps = recover(dump + "then\n" + dump, Limits{kMaxDumpBytes, 96});
  ASSERT_EQ(dumps.size(), 2u);
  EXPECT_FALSE(dumps[0].truncated);
  EXPECT_EQ(dumps[0].bytes.size(), 16u + 64u + 1u);
  EXPECT_TRUE(dumps[1].truncated);
  EXPECT_EQ(dumps[1].bytes, ByteVec(16 + 32, 0x00));
  EXPECT_EQ(dumps[1].last_line, 7u);
}

}  // namespace
}  // namespace sd::hexdump
