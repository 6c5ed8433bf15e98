package org.zrepl.transport.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a side demands of its peer's certificate once it chains to the CA. */
@FunctionalInterface
interface PeerCheck {
  void check(X509Certificate peer) throws CertificateException;

  /** The listener's: the client certificate's CN must be one of {@code allowed}. */
  static PeerCheck clientCnIn(Set<String> allowed) {
    Set<String> sorted = new TreeSet<>(allowed);
    return peer -> {
      String cn =
          Names.commonName(peer)
              .orElseThrow(
                  () -> new Rejected("client certificate " + Names.subject(peer) + " has no CN"));
      if (!sorted.contains(cn)) {
        throw new Rejected("client certificate CN '" + cn + "' is not in client_cns " + sorted);
      }
    };
  }

  /**
   * The connector's: the server certificate must name {@code serverCn} as a DNS or IP subject
   * alternative name or as its CN.
   */
  static PeerCheck serverNamed(String serverCn) {
    return peer -> {
      List<String> dns = Names.altNames(peer);
      String cn = Names.commonName(peer).orElse(null);
      if (!dns.contains(serverCn) && !serverCn.equals(cn)) {
        throw new Rejected(
            "server certificate "
                + Names.subject(peer)
                + (dns.isEmpty() ? "" : " with alternative names " + dns)
                + " does not name server_cn '"
                + serverCn
                + "'");
      }
    };
  }

  /** A certificate refused for a reason of ours; its message says why, for logs and callers. */
  final class Rejected extends CertificateException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }

    Rejected(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
