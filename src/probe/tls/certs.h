// Certificates and distinguished names from the handshake, read with OpenSSL's X509 parser.
#pragma once

#include <string>
#include <vector>

#include "core/bytes.h"
#include "probe/tls/facts.h"
#include "wire/tls/messages.h"

namespace sd::probe::tls {

/// Subject, issuer, SANs, validity and days left, key type and size, signature algorithm, self-signed; a DER
/// blob OpenSSL cannot parse gives a CertFacts whose subject says so.
CertFacts cert_facts(Bytes der);

/// True when each certificate's issuer is the next one's subject (leaf first, as TLS requires).
bool chain_in_order(const std::vector<ByteVec>& ders);

/// A DER distinguished name as one line ("CN=…, O=…"), or "(unparsable name)".
std::string dn_text(Bytes der);

/// Copies what a CertificateRequest says (CA names as text, certificate types, signature schemes).
void fill_client_cert(const sd::tls::CertificateRequest& request, ClientCertRequest& out);

}  // namespace sd::probe::tls
