// The TLS probe kinds (tls, ftps, ftps-implicit, smtp, imap, pop3, ldap): one scan each, then the report.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "probe/probe.h"
#include "probe/tls/scan.h"
#include "report/report.h"

namespace sd::probe::tls {

/// Sections for the connection and upgrade, versions, suites, groups, the chain, the client-certificate
/// request, resumption, intolerance and connection counts.
std::vector<report::Section> scan_sections(const Url& url, const Scan& scan);

/// Findings the server's own facts call for (expired certificate, small key or DH group, only old versions,
/// plaintext answers, client certificate required …), with the KB rule's title, cause and fixes.
std::vector<Finding> scan_findings(const Url& url, const Scan& scan);

/// Adds the scan to the report: sections, findings, the client prediction matrix (or the --as profiles with
/// their findings) and the connection count. False with `error` set when --as names an unknown profile.
bool add_to_report(const Url& url, const Scan& scan, const ProbeOptions& options, report::Report& out, std::string& error);

/// tls://host:port: TLS from the first byte.
bool run_tls(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// ftps://host[:21]: AUTH TLS (AUTH SSL if refused), then the scan; the data channel check when available.
bool run_ftps(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// ftps-implicit://host[:990]: TLS from the first byte on an FTP port.
bool run_ftps_implicit(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// smtp://host[:25]: EHLO, STARTTLS.
bool run_smtp(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// imap://host[:143]: a STARTTLS.
bool run_imap(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// pop3://host[:110]: STLS.
bool run_pop3(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
/// ldap://host[:389]: the StartTLS extended operation.
bool run_ldap(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);

}  // namespace sd::probe::tls
