package io.fiscald.agent.authority.zimra;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * The PKCS#10 certificate request a device sends to registerDevice / issueCertificate (SPEC §4.2),
 * signed by the device's own {@link Signer}, so the private key is never handed to the CSR code.
 */
public final class DeviceCsr {
  private DeviceCsr() {}

  /**
   * A PEM CSR with subject CN from the settings' template and, when {@code optionalSubject}, exactly
   * C=ZW, O=Zimbabwe Revenue Authority, S=Zimbabwe (anything else is DEV03).
   */
  public static String pem(Signer signer, String commonName, boolean optionalSubject) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (optionalSubject) {
      name.addRDN(BCStyle.C, "ZW");
      name.addRDN(BCStyle.ST, "Zimbabwe");
      name.addRDN(BCStyle.O, "Zimbabwe Revenue Authority");
    }
    name.addRDN(BCStyle.CN, commonName);
    X500Name subject = name.build();
    PKCS10CertificationRequest csr = new PKCS10CertificationRequestBuilder(subject,
        SubjectPublicKeyInfo.getInstance(signer.publicKey().getEncoded())).build(new SignerContentSigner(signer));
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(csr);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CSR as PEM", e);
    }
    return out.toString();
  }

  /** Adapts the device {@link Signer} (SHA-256 with ECDSA or RSA) to BouncyCastle's content signer. */
  private static final class SignerContentSigner implements ContentSigner {
    private final Signer signer;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final AlgorithmIdentifier algorithm;

    SignerContentSigner(Signer signer) {
      this.signer = signer;
      this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder()
          .find(signer.algorithm() == KeyAlgorithm.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA");
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return data;
    }

    @Override
    public byte[] getSignature() {
      return signer.sign(data.toByteArray());
    }
  }
}
