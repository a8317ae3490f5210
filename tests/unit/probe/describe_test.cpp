#include "probe/engine/describe.h"

#include <gtest/gtest.h>

namespace sd::probe {
namespace {

TEST(Describe, JobResultKeepsOutcomeNameAndRawBytes) {
  JobResult r;
  r.name = "hello";
  r.target = Target{Transport::tcp, "::1", 21};
  r.address = "[::1]:21";
  r.outcome = Outcome::plaintext_reply;
  r.detail = "a line of printable text where a TLS record was expected";
  r.last_message = ByteVec{'4', '2', '1'};
  r.transcript.add(Direction::sent, ByteVec{0x16, 0x03}, 100);
  r.transcript.add(Direction::received, ByteVec{'4', '2', '1'}, 100);
  const Field f = describe(r);
  EXPECT_EQ(f.value, "hello");
  EXPECT_EQ(f.child("target")->value, "[::1]:21/tcp");
  EXPECT_EQ(f.child("outcome")->value, "plaintext-reply");
  EXPECT_EQ(f.child("last_message")->value, "343231");
  EXPECT_EQ(f.child("bytes_sent")->value, "2");
  const Field* transcript = f.child("transcript");
  ASSERT_NE(transcript, nullptr);
  EXPECT_EQ(transcript->value, "complete");
  ASSERT_EQ(transcript->children.size(), 2u);
  EXPECT_EQ(transcript->children[0].name, "sent");
  EXPECT_EQ(transcript->children[0].value, "1603");
}

TEST(Describe, TranscriptCapKeepsCountsButNotBytes) {
  Transcript t;
  t.add(Direction::received, ByteVec(10, 'a'), 6);
  t.add(Direction::received, ByteVec(10, 'b'), 6);
  EXPECT_EQ(t.received, 20u);
  EXPECT_TRUE(t.truncated);
  ASSERT_EQ(t.chunks.size(), 1u);
  EXPECT_EQ(t.chunks[0].bytes, ByteVec(6, 'a'));
}

TEST(Describe, Stats) {
  const Field f = describe(EngineStats{5, 4, 6, 2});
  EXPECT_EQ(f.value, "4");
  EXPECT_EQ(f.child("attempted")->value, "5");
  EXPECT_EQ(f.child("peak_per_target")->value, "2");
}

}  // namespace
}  // namespace sd::probe
