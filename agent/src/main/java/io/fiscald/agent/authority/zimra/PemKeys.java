package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.SoftwareSigner;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads a PEM private key for the signature debugger: PKCS#1 ({@code RSA PRIVATE KEY}), SEC1
 * ({@code EC PRIVATE KEY}) or PKCS#8 ({@code PRIVATE KEY}), RSA 2048 or EC P-256. Parse errors never
 * quote the key material.
 */
public final class PemKeys {
  private PemKeys() {}

  public static SoftwareSigner signer(String pem) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the key file is not a readable PEM private key ("
          + e.getClass().getSimpleName() + ")");
    }
    PrivateKeyInfo info;
    if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else if (parsed instanceof PrivateKeyInfo pki) {
      info = pki;
    } else {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the key file holds no unencrypted private key: expected "
          + "-----BEGIN RSA PRIVATE KEY-----, -----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----",
          Map.of("found", parsed == null ? "nothing" : parsed.getClass().getSimpleName()));
    }
    byte[] der;
    try {
      der = info.getEncoded();
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "the private key cannot be re-encoded as PKCS#8");
    }
    try {
      return SoftwareSigner.fromPkcs8(der);
    } catch (RuntimeException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "unusable private key: " + e.getMessage());
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}
