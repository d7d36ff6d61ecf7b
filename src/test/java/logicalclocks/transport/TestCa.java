package logicalclocks.transport;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import logicalclocks.config.TlsConfig;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway certificate authority, made at test time, issuing PEM certificates for VMs. */
public final class TestCa {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;

  public TestCa(Path dir, String name) throws Exception {
    this.dir = dir;
    this.caKeys = keys();
    this.caCert =
        sign(
            new X500Principal("CN=" + name),
            caKeys,
            caKeys.getPrivate(),
            new X500Principal("CN=" + name),
            true,
            null);
    write(dir.resolve(name + ".pem"), caCert);
  }

  public Path caFile() {
    return dir.resolve(caCert.getSubjectX500Principal().getName().substring(3) + ".pem");
  }

  /** A certificate for {@code host} (IP or DNS SAN) signed by this CA, as TLS settings for a VM. */
  public TlsConfig issue(String host, int healthPort) throws Exception {
    return issue(host, "CN=" + host, List.of(host), healthPort);
  }

  /**
   * A certificate with subject {@code subject} (e.g. {@code "CN=vm0"}) and exactly the subject
   * alternative names {@code sans} (each an IP or DNS name; none = no SAN extension), written as
   * {@code file}.crt and {@code file}.key (PKCS#8), as TLS settings.
   */
  public TlsConfig issue(String file, String subject, List<String> sans, int healthPort)
      throws Exception {
    KeyPair kp = keys();
    X509Certificate cert =
        sign(
            new X500Principal(subject),
            kp,
            caKeys.getPrivate(),
            caCert.getSubjectX500Principal(),
            false,
            sans);
    Path certFile = dir.resolve(file + ".crt");
    Path keyFile = dir.resolve(file + ".key");
    write(certFile, cert);
    try (Writer w = Files.newBufferedWriter(keyFile);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
    }
    return new TlsConfig(certFile, keyFile, caFile(), healthPort);
  }

  /** The names the VMs' sender check takes from the certificate in {@code file} (RFC 6125). */
  public static java.util.Set<String> names(Path file) throws Exception {
    return Tls.names(read(file));
  }

  /** The certificate in {@code file} (PEM). */
  public static X509Certificate read(Path file) throws Exception {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Principal subject,
      KeyPair subjectKeys,
      PrivateKey issuerKey,
      X500Principal issuer,
      boolean ca,
      List<String> sans)
      throws Exception {
    Instant now = Instant.now();
    var b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            subject,
            subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (sans != null && !sans.isEmpty()) {
      GeneralName[] names =
          sans.stream()
              .map(
                  n ->
                      new GeneralName(
                          n.matches("[0-9.]+") || n.contains(":")
                              ? GeneralName.iPAddress
                              : GeneralName.dNSName,
                          n))
              .toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static void write(Path file, Object pemObject) throws IOException {
    try (Writer w = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(pemObject);
    }
  }
}
