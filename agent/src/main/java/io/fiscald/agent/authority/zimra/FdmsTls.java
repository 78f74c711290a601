package io.fiscald.agent.authority.zimra;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * TLS material for FDMS, built in memory only: the device's client certificate and private key as an
 * in-memory PKCS#12 key store (never a file), and the trust anchors (the JDK's, plus an extra CA for a
 * test gateway).
 */
public final class FdmsTls {
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private FdmsTls() {}

  /** A JDK private key from PKCS#8 DER; the caller wipes the bytes. */
  public static PrivateKey privateKey(byte[] pkcs8) {
    try {
      boolean ec = X9ObjectIdentifiers.id_ecPublicKey.equals(
          PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm());
      return KeyFactory.getInstance(ec ? "EC" : "RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      // no cause and no bytes in the message: this is a private key
      throw new FiscalException(ErrorCode.MASTER_KEY_INVALID, "the unsealed device key is not a usable private key");
    }
  }

  public static List<X509Certificate> certificates(String pem) {
    try {
      Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> out = new ArrayList<>();
      all.forEach(c -> out.add((X509Certificate) c));
      if (out.isEmpty()) {
        throw new CertificateException("no certificate in the PEM text");
      }
      return out;
    } catch (CertificateException e) {
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "not a PEM X.509 certificate: " + e.getMessage());
    }
  }

  public static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new FiscalException(ErrorCode.CERTIFICATE_INVALID, "the stored device certificate is unreadable: "
          + e.getMessage());
    }
  }

  public static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
          .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An SSL context presenting {@code key}/{@code chain} (or nothing when null) and trusting the JDK's CAs plus {@code extraCaPem}. */
  static SSLContext context(PrivateKey key, List<X509Certificate> chain, X509TrustManager trust) {
    try {
      KeyManager[] keyManagers = null;
      if (key instanceof SignerTlsKey handle) {
        // the key stays in its token or control unit: the handshake is signed through the device signer
        keyManagers = new KeyManager[] {SignerTlsKey.keyManager(handle, chain)};
      } else if (key != null) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("device", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY);
        keyManagers = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers, new TrustManager[] {trust}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new FiscalException(ErrorCode.INTERNAL, "cannot set up TLS for FDMS: " + e.getMessage(), Map.of(), e);
    }
  }

  /** The JDK's trust anchors, and those of {@code extraCaPem} when given. */
  static X509TrustManager trustManager(String extraCaPem) {
    try {
      X509TrustManager jdk = fromStore(null);
      if (extraCaPem == null || extraCaPem.isBlank()) {
        return jdk;
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(extraCaPem)) {
        store.setCertificateEntry("extra-" + i++, ca);
      }
      X509TrustManager extra = fromStore(store);
      return new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          jdk.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          try {
            extra.checkServerTrusted(chain, authType);
          } catch (CertificateException notOurs) {
            jdk.checkServerTrusted(chain, authType);
          }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          X509Certificate[] a = extra.getAcceptedIssuers();
          X509Certificate[] b = jdk.getAcceptedIssuers();
          X509Certificate[] all = Arrays.copyOf(a, a.length + b.length);
          System.arraycopy(b, 0, all, a.length, b.length);
          return all;
        }
      };
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new FiscalException(ErrorCode.INTERNAL, "cannot load trust anchors: " + e.getMessage(), Map.of(), e);
    }
  }

  private static X509TrustManager fromStore(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager");
  }
}
