package io.fiscald.agent.authority.zimra;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.Signer;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Mutual TLS with a device key that never leaves its module (a PKCS#11 token, a serial control unit): a
 * {@link PrivateKey} that is only a handle on the device's {@link Signer}, a tiny JCA provider whose
 * {@code SHA256withECDSA} / {@code SHA256withRSA} signatures hand the bytes to that signer, and the key
 * manager that offers the handle with the FDMS certificate. The TLS stack signs the handshake
 * (CertificateVerify) through JCA, which picks this provider only for these handles. An RSA key signs
 * PKCS#1 v1.5 only, which TLS 1.3 forbids for CertificateVerify, so such a client is held to TLS 1.2.
 */
public final class SignerTlsKey implements PrivateKey {
  private static final long serialVersionUID = 1L;
  private static final String ALIAS = "device";
  private static final Provider PROVIDER = new SignerProvider();

  private final transient Signer signer;

  private SignerTlsKey(Signer signer) {
    this.signer = signer;
  }

  /** A handle on {@code signer}'s key for the TLS stack; installs the delegating provider once. */
  public static SignerTlsKey of(Signer signer) {
    synchronized (PROVIDER) {
      if (Security.getProvider(PROVIDER.getName()) == null) {
        Security.addProvider(PROVIDER); // last: asked only for keys no other provider accepts
      }
    }
    return new SignerTlsKey(signer);
  }

  public boolean rsa() {
    return signer.algorithm() == KeyAlgorithm.RSA_2048;
  }

  @Override
  public String getAlgorithm() {
    return rsa() ? "RSA" : "EC";
  }

  /** Not encodable: there are no key bytes here. */
  @Override
  public String getFormat() {
    return null;
  }

  @Override
  public byte[] getEncoded() {
    return null;
  }

  @Override
  public String toString() {
    return "SignerTlsKey[" + getAlgorithm() + ", [REDACTED]]";
  }

  /** Offers {@code key} with {@code chain} for client authentication; never a server key. */
  static X509ExtendedKeyManager keyManager(SignerTlsKey key, List<X509Certificate> chain) {
    X509Certificate[] certs = chain.toArray(new X509Certificate[0]);
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
      }

      @Override
      public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        for (String t : keyTypes) {
          if (key.getAlgorithm().equals(t)) {
            return ALIAS;
          }
        }
        return null;
      }

      @Override
      public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? certs.clone() : null;
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
      }
    };
  }

  /** The provider: two signature algorithms, each accepting only {@link SignerTlsKey} handles. */
  private static final class SignerProvider extends Provider {
    private static final long serialVersionUID = 1L;

    SignerProvider() {
      super("FiscaldDeviceSigner", "1.0", "TLS client signatures by the fiscald device signer");
      for (String algorithm : new String[] {"SHA256withECDSA", "SHA256withRSA"}) {
        putService(new Service(this, "Signature", algorithm, SignerSignature.class.getName(), null,
            Map.of("SupportedKeyClasses", SignerTlsKey.class.getName())) {
          @Override
          public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            return new SignerSignature(algorithm.endsWith("RSA"));
          }

          @Override
          public boolean supportsParameter(Object parameter) {
            return parameter instanceof SignerTlsKey k && k.rsa() == algorithm.endsWith("RSA");
          }
        });
      }
    }
  }

  /** Collects the signed bytes and has the device signer sign them (it hashes with SHA-256 itself). */
  private static final class SignerSignature extends SignatureSpi {
    private final boolean rsa;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private Signer signer;

    SignerSignature(boolean rsa) {
      this.rsa = rsa;
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
      if (!(key instanceof SignerTlsKey k) || k.rsa() != rsa) {
        throw new InvalidKeyException("not a device signer key of this algorithm");
      }
      signer = k.signer;
      data.reset();
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
      throw new InvalidKeyException("the device signer only signs");
    }

    @Override
    protected void engineUpdate(byte b) {
      data.write(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {
      data.write(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
      try {
        return signer.sign(data.toByteArray());
      } catch (RuntimeException e) {
        throw new SignatureException("the device signer failed: " + e.getMessage(), e);
      } finally {
        data.reset();
      }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
      throw new SignatureException("the device signer only signs");
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
      throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      throw new InvalidParameterException("no parameters");
    }
  }
}
