package org.zrepl.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The three PEM files of a TLS endpoint, loaded and checked: {@code ca} (one or more CA
 * certificates the peer's certificate must chain to), {@code cert} (this side's certificate, then
 * any intermediates) and {@code key} (its private key: PKCS#8 {@code BEGIN PRIVATE KEY}, PKCS#1
 * {@code BEGIN RSA PRIVATE KEY} or SEC1 {@code BEGIN EC PRIVATE KEY}; the JDK reads only the first,
 * Bouncy Castle reads all three). Every error names the file and what is wrong with it.
 */
public final class TlsFiles {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * The JDK's enabled suites with AES-128-GCM moved first: with the AES-NI and GHASH intrinsics it
   * runs 10 AES rounds instead of AES-256's 14, so a replication stream costs less CPU; both are
   * AEAD suites of TLS 1.3 and the JDK's own list keeps every other suite in its order. The server
   * chooses by its order, so a listener of ours negotiates {@code TLS_AES_128_GCM_SHA256} with any
   * peer that offers it.
   */
  static String[] preferAes128Gcm(String[] enabled) {
    List<String> first = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String suite : enabled) {
      (suite.equals("TLS_AES_128_GCM_SHA256") ? first : rest).add(suite);
    }
    first.addAll(rest);
    return first.toArray(String[]::new);
  }

  private final Path caFile;
  private final List<X509Certificate> cas;
  private final X509Certificate[] chain;
  private final PrivateKey key;

  private TlsFiles(
      Path caFile, List<X509Certificate> cas, X509Certificate[] chain, PrivateKey key) {
    this.caFile = caFile;
    this.cas = cas;
    this.chain = chain;
    this.key = key;
  }

  /**
   * Reads and checks the files: each readable PEM of the right kind, the key belonging to the
   * certificate, the certificate valid at {@code clock}'s now.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static TlsFiles load(Path ca, Path cert, Path key, Clock clock) {
    List<X509Certificate> cas = certificates(ca, "ca");
    List<X509Certificate> chain = certificates(cert, "cert");
    PrivateKey k = privateKey(key);
    X509Certificate leaf = chain.get(0);
    Instant now = clock.instant();
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "cert file "
              + cert
              + ": certificate "
              + Names.subject(leaf)
              + " is valid from "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + (now.isAfter(leaf.getNotAfter().toInstant()) ? ": it has expired" : ": not yet")
              + " (now "
              + now
              + ")",
          e);
    }
    checkPair(leaf, k, cert, key);
    return new TlsFiles(ca, cas, chain.toArray(new X509Certificate[0]), k);
  }

  /** Reads {@code ca}, {@code cert} and {@code key} as strings from a config. */
  public static TlsFiles load(String ca, String cert, String key, Clock clock) {
    return load(Path.of(ca), Path.of(cert), Path.of(key), clock);
  }

  /** The CN of this side's own certificate. */
  public String commonName() {
    return Names.commonName(chain[0]).orElse("");
  }

  /**
   * An SSL context presenting this side's certificate and trusting only the CA file, with {@code
   * peers} deciding about a verified peer certificate.
   */
  SSLContext context(PeerCheck peers) {
    try {
      char[] pw = new char[0];
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, pw);
      ks.setKeyEntry("zrepl", key, pw, chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, pw);
      for (int i = 0; i < cas.size(); i++) {
        ts.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      X509ExtendedTrustManager pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf.getKeyManagers(),
          new javax.net.ssl.TrustManager[] {new CheckingTrustManager(pkix, caFile, peers)},
          null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static List<Object> pemObjects(Path file, String what) {
    List<Object> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o;
      while ((o = p.readObject()) != null) {
        out.add(o);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(what + " file " + file + ": no such file", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          what + " file " + file + ": cannot read it as PEM: " + e.getMessage(), e);
    }
    return out;
  }

  private static List<X509Certificate> certificates(Path file, String what) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
    for (Object o : pemObjects(file, what)) {
      if (o instanceof X509CertificateHolder h) {
        try {
          out.add(conv.getCertificate(h));
        } catch (CertificateException e) {
          throw new IllegalArgumentException(
              what + " file " + file + ": bad certificate: " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          what + " file " + file + ": contains no PEM certificate (BEGIN CERTIFICATE)");
    }
    return List.copyOf(out);
  }

  private static PrivateKey privateKey(Path file) {
    for (Object o : pemObjects(file, "key")) {
      PrivateKeyInfo info = null;
      if (o instanceof PEMKeyPair kp) {
        info = kp.getPrivateKeyInfo(); // PKCS#1 RSA or SEC1 EC
      } else if (o instanceof PrivateKeyInfo pki) {
        info = pki; // PKCS#8
      } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new IllegalArgumentException(
            "key file " + file + ": the private key is encrypted; zrepl needs it unencrypted");
      }
      if (info != null) {
        try {
          return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "key file " + file + ": unsupported private key: " + e.getMessage(), e);
        }
      }
    }
    throw new IllegalArgumentException(
        "key file "
            + file
            + ": contains no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE"
            + " KEY)");
  }

  /** Signs with the key and verifies with the certificate: they belong together or not. */
  private static void checkPair(X509Certificate leaf, PrivateKey key, Path certFile, Path keyFile) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (alg == null) {
      return; // the TLS handshake will tell
    }
    boolean matches;
    try {
      byte[] probe = "zrepl key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(leaf.getPublicKey());
      v.update(probe);
      matches = v.verify(sig);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException(
          "key file "
              + keyFile
              + ": the private key does not belong to the certificate "
              + Names.subject(leaf)
              + " in cert file "
              + certFile);
    }
  }

  @Override
  public String toString() {
    return "TlsFiles[ca=" + caFile + ", cert " + Names.subject(chain[0]) + "]";
  }
}
