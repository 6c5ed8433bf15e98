package org.zrepl.transport.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX check against the CA file, with messages that say which certificate failed and
 * why, followed by the side's {@link PeerCheck}. Never trusts a peer the PKIX check refused.
 */
final class CheckingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final Path caFile;
  private final PeerCheck peers;

  CheckingTrustManager(X509ExtendedTrustManager pkix, Path caFile, PeerCheck peers) {
    this.pkix = pkix;
    this.caFile = caFile;
    this.peers = peers;
  }

  @FunctionalInterface
  private interface Pkix {
    void check() throws CertificateException;
  }

  private void verify(String role, X509Certificate[] chain, Pkix pkixCheck)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new PeerCheck.Rejected(role + " sent no certificate");
    }
    X509Certificate leaf = chain[0];
    try {
      leaf.checkValidity();
    } catch (java.security.cert.CertificateExpiredException e) {
      throw new PeerCheck.Rejected(
          role
              + " certificate "
              + Names.subject(leaf)
              + " expired on "
              + leaf.getNotAfter().toInstant(),
          e);
    } catch (java.security.cert.CertificateNotYetValidException e) {
      throw new PeerCheck.Rejected(
          role
              + " certificate "
              + Names.subject(leaf)
              + " is not valid before "
              + leaf.getNotBefore().toInstant(),
          e);
    }
    try {
      pkixCheck.check();
    } catch (CertificateException e) {
      throw new PeerCheck.Rejected(
          role
              + " certificate "
              + Names.subject(leaf)
              + " is not signed by a CA in ca file "
              + caFile
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    peers.check(leaf);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify("client", chain, () -> pkix.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify("server", chain, () -> pkix.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify("client", chain, () -> pkix.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify("server", chain, () -> pkix.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify("client", chain, () -> pkix.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify("server", chain, () -> pkix.checkServerTrusted(chain, authType));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
