package io.fiscald.sim.zimra.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The simulator's key material: its CA, the FDMS signing key and certificate (sheet §10), the TLS server
 * certificate for loopback, an untrusted "rogue" TLS certificate for the TLS fault, and device certificate issuance
 * (sheet §3, SPEC §12.2 extensions).
 */
public final class Pki {
  static {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final KeyPair fdmsKeys;
  private final X509Certificate fdmsCert;
  private final KeyPair tlsKeys;
  private final X509Certificate tlsCert;
  private final KeyPair rogueKeys;
  private final X509Certificate rogueCert;

  private Pki(KeyPair caKeys, X509Certificate caCert, KeyPair fdmsKeys, X509Certificate fdmsCert, String host) {
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.fdmsKeys = fdmsKeys;
    this.fdmsCert = fdmsCert;
    try {
      Instant now = Instant.now();
      this.tlsKeys = ecKeys();
      this.tlsCert = tlsCertificate(tlsKeys.getPublic(), caCert, caKeys.getPrivate(), host, now);
      this.rogueKeys = ecKeys();
      X500Name rogueName = new X500Name("CN=Not the FDMS CA");
      this.rogueCert = build(rogueName, rogueName, rogueKeys.getPublic(), rogueKeys.getPrivate(),
          now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), b -> { });
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the simulator's TLS certificates", e);
    }
  }

  /** Fresh CA and FDMS signing key ({@code serverKeyAlgorithm} "EC" or "RSA"). */
  public static Pki generate(String serverKeyAlgorithm, String host) {
    try {
      Instant now = Instant.now();
      KeyPair ca = ecKeys();
      X500Name caName = new X500Name("CN=fiscald FDMS simulator CA, O=fiscald, C=ZW");
      X509Certificate caCert = build(caName, caName, ca.getPublic(), ca.getPrivate(),
          now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
          });
      KeyPair fdms = "RSA".equalsIgnoreCase(serverKeyAlgorithm) ? rsaKeys() : ecKeys();
      X509Certificate fdmsCert = build(new X500Name("CN=FDMS simulator signing, O=fiscald, C=ZW"), caName,
          fdms.getPublic(), ca.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
          });
      return new Pki(ca, caCert, fdms, fdmsCert, host);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the simulator CA", e);
    }
  }

  /** Loads the CA and FDMS key from {@code dir}, or generates and saves them there (ca.pem, ca-key.pem, …). */
  public static Pki loadOrCreate(Path dir, String serverKeyAlgorithm, String host) throws IOException {
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca-key.pem");
    Path fdms = dir.resolve("fdms.pem");
    Path fdmsKey = dir.resolve("fdms-key.pem");
    if (Files.exists(ca) && Files.exists(caKey) && Files.exists(fdms) && Files.exists(fdmsKey)) {
      X509Certificate caCert = readCertificate(Files.readString(ca));
      X509Certificate fdmsCert = readCertificate(Files.readString(fdms));
      return new Pki(new KeyPair(caCert.getPublicKey(), readPrivateKey(Files.readString(caKey))), caCert,
          new KeyPair(fdmsCert.getPublicKey(), readPrivateKey(Files.readString(fdmsKey))), fdmsCert, host);
    }
    Pki pki = generate(serverKeyAlgorithm, host);
    Files.createDirectories(dir);
    Files.writeString(ca, pem(pki.caCert));
    Files.writeString(fdms, pem(pki.fdmsCert));
    writePrivate(caKey, pkcs8Pem(pki.caKeys.getPrivate()));
    writePrivate(fdmsKey, pkcs8Pem(pki.fdmsKeys.getPrivate()));
    return pki;
  }

  /** PKCS#8 PEM (BEGIN PRIVATE KEY): keeps the EC curve parameters that SEC1 output of a JDK key would lose. */
  private static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static void writePrivate(Path p, String text) throws IOException {
    Files.writeString(p, text);
    try {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  public X509Certificate fdmsCertificate() {
    return fdmsCert;
  }

  public PrivateKey fdmsPrivateKey() {
    return fdmsKeys.getPrivate();
  }

  /** SHA-1 of the DER certificate, lower-case hex (SWAGGER SignatureDataEx example). */
  public static String thumbprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code cert} carries a valid signature of this CA. */
  public boolean issuedByCa(X509Certificate cert) {
    try {
      cert.verify(caCert.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Issues a device certificate for a CSR (SPEC §12.2): X.509 v3, subject as requested, KeyUsage critical
   * digitalSignature + nonRepudiation + keyEncipherment, EKU clientAuth, CA:FALSE.
   */
  public X509Certificate issueDeviceCertificate(PKCS10CertificationRequest csr, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException, IOException {
    PublicKey key = new JcaPKCS10CertificationRequest(csr).setProvider("BC").getPublicKey();
    return build(csr.getSubject(), X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), key,
        caKeys.getPrivate(), notBefore, notAfter, b -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(
              KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment));
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        });
  }

  /** The server SSLContext: presents the loopback TLS certificate and asks (not requires) for a client one. */
  public SSLContext serverContext() {
    return context(tlsKeys.getPrivate(), tlsCert, caCert);
  }

  /** An SSLContext presenting a certificate from an unknown CA: clients trusting the simulator CA reject it. */
  public SSLContext rogueServerContext() {
    return context(rogueKeys.getPrivate(), rogueCert, null);
  }

  private SSLContext context(PrivateKey key, X509Certificate cert, X509Certificate issuer) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      X509Certificate[] chain = issuer == null ? new X509Certificate[] {cert} : new X509Certificate[] {cert, issuer};
      ks.setKeyEntry("server", key, new char[0], chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), new TrustManager[] {new AcceptAnyClient(caCert)}, RANDOM);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the server TLS context", e);
    }
  }

  /** A PKCS#12 trust store with only the CA certificate. */
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("fdms-ca", caCert);
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context trusting the CA, without a client certificate. */
  public SSLContext clientContext() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), RANDOM);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Accepts any client certificate at the TLS layer so that a missing, expired or foreign certificate becomes an
   * HTTP 401 ProblemDetails (sheet §1) instead of a handshake failure; advertises the CA so clients pick the right
   * certificate.
   */
  private static final class AcceptAnyClient extends X509ExtendedTrustManager {
    private final X509Certificate ca;

    AcceptAnyClient(X509Certificate ca) {
      this.ca = ca;
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("server side only");
    }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("server side only");
    }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("server side only");
    }
    @Override public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[] {ca};
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder b) throws IOException, GeneralSecurityException;
  }

  private static X509Certificate build(X500Name subject, X500Name issuer, PublicKey key, PrivateKey signer,
      Instant notBefore, Instant notAfter, Extensions ext) throws GeneralSecurityException, IOException {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs()
          .add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), subject, key);
      b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
      ext.add(b);
      String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      ContentSigner cs = new JcaContentSignerBuilder(alg).build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(cs));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X509Certificate tlsCertificate(PublicKey key, X509Certificate ca, PrivateKey caKey, String host,
      Instant now) throws GeneralSecurityException, IOException {
    X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    return build(new X500Name("CN=" + host), issuer, key, caKey, now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(825)), b -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost"),
              hostName(host)}));
        });
  }

  private static GeneralName hostName(String host) {
    return host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, host)
        : new GeneralName(GeneralName.dNSName, host);
  }

  static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  /** PEM text of a certificate, private key or CSR. */
  public static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Parses a PEM certificate. */
  public static X509Certificate readCertificate(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof org.bouncycastle.cert.X509CertificateHolder h)) {
        throw new IOException("not a PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IOException(e);
    }
  }

  /** Parses a PEM CSR; null when the text is not one. */
  public static PKCS10CertificationRequest readCsr(String pem) {
    if (pem == null) {
      return null;
    }
    try (PEMParser p = new PEMParser(new StringReader(pem.replace("\\n", "\n")))) {
      Object o = p.readObject();
      return o instanceof PKCS10CertificationRequest csr ? csr : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A PEM private key: SEC1/PKCS#1 (BEGIN EC/RSA PRIVATE KEY) or PKCS#8 (BEGIN PRIVATE KEY). */
  private static PrivateKey readPrivateKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return c.getPrivateKey(kp.getPrivateKeyInfo());
      }
      if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
        return c.getPrivateKey(info);
      }
      throw new IOException("not a PEM private key");
    }
  }

  /** The list view used by getServerCertificate: signing certificate then CA. */
  public List<X509Certificate> fdmsChain() {
    return List.of(fdmsCert, caCert);
  }
}
