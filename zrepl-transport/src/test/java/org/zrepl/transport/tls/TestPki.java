package org.zrepl.transport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests: makes a CA and certificates signed by it at test
 * time and writes them as PEM files, with the private key in the format asked for.
 */
public final class TestPki {
  /** How a private key file is written. */
  public enum KeyFormat {
    /** {@code BEGIN PRIVATE KEY} (EC key). */
    PKCS8,
    /** {@code BEGIN EC PRIVATE KEY} (SEC1, what {@code openssl ecparam -genkey} writes). */
    SEC1_EC,
    /** {@code BEGIN RSA PRIVATE KEY} (PKCS#1, what older {@code openssl genrsa} writes). */
    PKCS1_RSA
  }

  /** A certificate's files. */
  public record Issued(Path cert, Path key) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final String name;
  private final KeyPair caKey;
  private final X509Certificate caCert;

  private TestPki(String name, KeyPair caKey, X509Certificate caCert) {
    this.name = name;
    this.caKey = caKey;
    this.caCert = caCert;
  }

  /** A new CA whose certificate's CN is {@code name}. */
  public static TestPki create(String name) {
    KeyPair k = ec();
    Instant now = Instant.now();
    X509Certificate c =
        sign(
            new X500Name("CN=" + name),
            k,
            new X500Name("CN=" + name),
            k,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(10)),
            List.of(),
            true);
    return new TestPki(name, k, c);
  }

  /** Writes the CA certificate to {@code file}; returns it. */
  public Path writeCa(Path file) {
    write(file, pem(caCert));
    return file;
  }

  /** A certificate for {@code cn}, valid for a day from an hour ago, EC key in SEC1 format. */
  public Issued issue(Path dir, String cn) {
    Instant now = Instant.now();
    return issue(
        dir,
        cn,
        List.of(),
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)),
        KeyFormat.SEC1_EC);
  }

  /**
   * A certificate for {@code cn} with DNS or IP {@code sans}, written to {@code dir/cn.crt|key}.
   */
  public Issued issue(
      Path dir, String cn, List<String> sans, Instant notBefore, Instant notAfter, KeyFormat f) {
    KeyPair k = f == KeyFormat.PKCS1_RSA ? rsa() : ec();
    X509Certificate c =
        sign(
            new X500Name("CN=" + cn),
            k,
            new X500Name("CN=" + name),
            caKey,
            notBefore,
            notAfter,
            sans,
            false);
    String base = name.replaceAll("[^A-Za-z0-9]", "_") + "-" + cn.replaceAll("[^A-Za-z0-9]", "_");
    Path cert = dir.resolve(base + ".crt");
    Path key = dir.resolve(base + ".key");
    write(cert, pem(c));
    write(
        key,
        f == KeyFormat.PKCS8 ? pkcs8(k) : f == KeyFormat.SEC1_EC ? sec1(k) : pem(k.getPrivate()));
    return new Issued(cert, key);
  }

  private static X509Certificate sign(
      X500Name subject,
      KeyPair subjectKey,
      X500Name issuer,
      KeyPair issuerKey,
      Instant notBefore,
      Instant notAfter,
      List<String> sans,
      boolean ca) {
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                sans.stream()
                    .map(
                        s ->
                            new GeneralName(
                                s.matches("[0-9.]+") || s.contains(":")
                                    ? GeneralName.iPAddress
                                    : GeneralName.dNSName,
                                s))
                    .toArray(GeneralName[]::new)));
      }
      String alg =
          issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object o) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  private static String pkcs8(KeyPair k) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(new JcaPKCS8Generator(k.getPrivate(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  /** SEC1 with the curve named inside, as openssl writes it (the JDK leaves it out). */
  private static String sec1(KeyPair k) {
    try {
      org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
          org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(k.getPrivate().getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey inner =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      org.bouncycastle.asn1.sec.ECPrivateKey withCurve =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              256,
              inner.getKey(),
              new org.bouncycastle.asn1.DERBitString(
                  org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                          k.getPublic().getEncoded())
                      .getPublicKeyData()
                      .getBytes()),
              info.getPrivateKeyAlgorithm().getParameters());
      return pem(
          new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      java.nio.file.Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
