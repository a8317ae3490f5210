// The formats, one per file; registry.cpp puts them in order. Internal to src/logs.
#pragma once

#include <string_view>

#include "logs/format.h"

namespace sd::logs {

const Format& zos_ftp_format();         ///< zos_ftp.cpp
const Format& zos_systemssl_format();   ///< zos_systemssl.cpp
const Format& openssh_client_format();  ///< openssh_client.cpp
const Format& sshd_format();            ///< sshd.cpp
const Format& vsftpd_format();          ///< vsftpd.cpp
const Format& proftpd_format();         ///< proftpd.cpp
const Format& proftpd_tlslog_format();  ///< proftpd_tlslog.cpp
const Format& nimsh_format();           ///< nimsh.cpp
const Format& zos_iked_format();        ///< zos_iked.cpp
const Format& strongswan_format();      ///< strongswan.cpp
const Format& openssl_client_format();  ///< openssl_client.cpp
const Format& gnutls_client_format();   ///< gnutls_client.cpp
const Format& curl_format();            ///< curl.cpp
const Format& transcript_format();      ///< transcript.cpp
const Format& ftp_reply_format();       ///< ftp_reply.cpp (bare FTP replies, named after the input's format)
const Format& syslog_format();          ///< syslog.cpp
const Format& plain_format();           ///< syslog.cpp

/// Sets the common fields of a recognised event.
void mark(Event& ev, std::string_view format, std::string_view side, std::string_view type);
/// Records a ladder step: dir is "client->server", "server->client", "client", "server" or "break".
void ladder(Event& ev, std::string_view dir, std::string_view label);

}  // namespace sd::logs
