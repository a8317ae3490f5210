// The SSH wire codec in one include: identification line, binary packets, messages, key blobs, the Field view,
// client writers, transcripts and negotiation, and the code-point registries (data/registry/ssh-*.tsv).
#pragma once

#include "wire/ssh/describe.h"
#include "wire/ssh/ident.h"
#include "wire/ssh/keys.h"
#include "wire/ssh/messages.h"
#include "wire/ssh/packet.h"
#include "wire/ssh/registry.h"
#include "wire/ssh/transcript.h"
#include "wire/ssh/writer.h"
