package org.zrepl.transport.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The names in a certificate, as TLS peers are identified. */
final class Names {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private Names() {}

  /** The subject's (last) CN, if it has one. */
  static Optional<String> commonName(X509Certificate c) {
    try {
      LdapName dn = new LdapName(c.getSubjectX500Principal().getName());
      String cn = null;
      for (Rdn rdn : dn.getRdns()) { // getRdns() runs from the least significant to the most
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        }
      }
      return Optional.ofNullable(cn);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  /** The DNS names and IP addresses of the subject alternative name extension. */
  static List<String> altNames(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      if (c.getSubjectAlternativeNames() != null) {
        for (List<?> san : c.getSubjectAlternativeNames()) {
          if (san.size() == 2
              && (Integer.valueOf(SAN_DNS).equals(san.get(0))
                  || Integer.valueOf(SAN_IP).equals(san.get(0)))) {
            out.add(san.get(1).toString());
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable SAN: only the CN counts
    }
    return out;
  }

  /** How a certificate is named in messages: {@code CN=backup (issued by CN=zrepl CA)}. */
  static String subject(X509Certificate c) {
    return "'"
        + c.getSubjectX500Principal().getName()
        + "' (issued by '"
        + c.getIssuerX500Principal().getName()
        + "')";
  }
}
