package io.fiscald.hal.sign.pkcs11;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.Signer;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.SigningException.Reason;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.login.FailedLoginException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A {@link Signer} whose private key lives on a PKCS#11 token (smart card, USB HSM, secure element,
 * SoftHSM) and is used through the JDK's SunPKCS11 provider; the key is generated on the token as a
 * sensitive, non-extractable object and never leaves it.
 *
 * <p>The key is found by its label through the token's key store, which pairs it with a certificate
 * of the same label: {@link #generate} stores a self-signed one beside the key, which is also how
 * the public key is exported. Signatures are {@code SHA256withECDSA} (DER) or {@code SHA256withRSA},
 * byte-compatible with {@link io.fiscald.hal.sign.SoftwareSigner}.
 */
public final class Pkcs11Signer implements Signer {

  private static final AtomicInteger PROVIDERS = new AtomicInteger();
  private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(20 * 365);

  private final Pkcs11Config config;
  private final Provider provider;
  private final KeyAlgorithm algorithm;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  // One Signature per thread: a SunPKCS11 Signature borrows a token session per operation, so
  // threads do not share state and the token's own session limit bounds concurrency.
  private final ThreadLocal<Signature> signatures;

  private Pkcs11Signer(Pkcs11Config config, Provider provider, PrivateKey privateKey, X509Certificate certificate) {
    this.config = config;
    this.provider = provider;
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.algorithm = algorithmOf(config, certificate.getPublicKey());
    this.signatures = ThreadLocal.withInitial(this::newSignature);
    signatures.get(); // fail now, not on the first receipt, if the token cannot use this key
  }

  /** Logs in and opens the key labelled {@code config.keyLabel()}; fails with KEY_NOT_FOUND if there is none. */
  public static Pkcs11Signer open(Pkcs11Config config, char[] pin) {
    Session session = Session.login(config, pin);
    if (!session.hasKey()) {
      throw new SigningException(Reason.KEY_NOT_FOUND, "no " + config.describe()
          + " (the token holds " + session.aliases() + "); create it with fiscalctl init --signer pkcs11", null);
    }
    return session.signer();
  }

  /** Generates a key on the token under {@code config.keyLabel()}; refuses if the label is taken. */
  public static Pkcs11Signer generate(Pkcs11Config config, char[] pin, KeyAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    Session session = Session.login(config, pin);
    if (session.hasKey()) {
      throw new SigningException(Reason.REFUSED, "the token already holds a " + config.describe()
          + "; choose another --pkcs11-key-label or use that key", null);
    }
    return session.generate(algorithm);
  }

  /** Opens the labelled key, or generates one when the token has none under that label. */
  public static Pkcs11Signer openOrGenerate(Pkcs11Config config, char[] pin, KeyAlgorithm algorithm) {
    Session session = Session.login(config, pin);
    return session.hasKey() ? session.signer() : session.generate(algorithm);
  }

  @Override
  public byte[] sign(byte[] data) {
    Objects.requireNonNull(data, "data");
    Signature signature = signatures.get();
    try {
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException | ProviderException e) {
      signatures.remove();
      throw failure(config, algorithm.signatureName() + " signing on the token", e);
    }
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  /** The self-signed certificate stored beside the key on the token (the exported public key). */
  public X509Certificate certificate() {
    return certificate;
  }

  public Pkcs11Config config() {
    return config;
  }

  /** The provider's description: module library and configuration name. */
  public String moduleInfo() {
    return provider.getInfo();
  }

  /** True when the token refuses to hand out the private key (what {@code getEncoded()} returns). */
  public boolean keyExtractable() {
    return privateKey.getEncoded() != null;
  }

  @Override
  public String toString() {
    return "Pkcs11Signer[" + algorithm + ", " + config.describe() + ", [REDACTED]]";
  }

  private Signature newSignature() {
    try {
      Signature signature = Signature.getInstance(algorithm.signatureName(), provider);
      signature.initSign(privateKey);
      return signature;
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(config, "initialising " + algorithm.signatureName() + " on the token", e);
    }
  }

  private static KeyAlgorithm algorithmOf(Pkcs11Config config, PublicKey key) {
    try {
      return PublicKeys.algorithmOf(key);
    } catch (IllegalArgumentException e) {
      throw new SigningException(Reason.KEY_INVALID, "the " + config.describe() + " is not usable: "
          + e.getMessage(), null);
    }
  }

  /** A logged-in view of the token's key store. */
  private static final class Session {
    private final Pkcs11Config config;
    private final Provider provider;
    private final KeyStore store;

    private Session(Pkcs11Config config, Provider provider, KeyStore store) {
      this.config = config;
      this.provider = provider;
      this.store = store;
    }

    static Session login(Pkcs11Config config, char[] pin) {
      Objects.requireNonNull(config, "config");
      if (pin == null || pin.length == 0) {
        throw new SigningException(Reason.PIN_INCORRECT, "no PIN given for the token in "
            + config.slotDescription() + " of " + config.library(), null);
      }
      Provider provider = configure(config);
      try {
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, pin);
        return new Session(config, provider, store);
      } catch (Exception e) {
        throw failure(config, "logging in to the token", e);
      }
    }

    boolean hasKey() {
      try {
        return store.isKeyEntry(config.keyLabel());
      } catch (GeneralSecurityException e) {
        throw failure(config, "listing the keys", e);
      }
    }

    String aliases() {
      try {
        var list = java.util.Collections.list(store.aliases());
        return list.isEmpty() ? "no keys" : "keys " + list;
      } catch (GeneralSecurityException e) {
        return "keys that cannot be listed";
      }
    }

    Pkcs11Signer signer() {
      try {
        Key key = store.getKey(config.keyLabel(), null);
        Certificate cert = store.getCertificate(config.keyLabel());
        if (!(key instanceof PrivateKey) || !(cert instanceof X509Certificate)) {
          throw new SigningException(Reason.KEY_NOT_FOUND, "the token entry '" + config.keyLabel()
              + "' is not a private key with an X.509 certificate", null);
        }
        return new Pkcs11Signer(config, provider, (PrivateKey) key, (X509Certificate) cert);
      } catch (GeneralSecurityException | ProviderException e) {
        throw failure(config, "opening the key", e);
      }
    }

    Pkcs11Signer generate(KeyAlgorithm algorithm) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyFactoryName(), provider);
        if (algorithm == KeyAlgorithm.EC_P256) {
          generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
          generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
        }
        KeyPair pair = generator.generateKeyPair();
        X509Certificate cert = selfSigned(pair, algorithm);
        // Stores the certificate and gives the (already token-resident) key the label and id that
        // pair them; the private key itself is not copied.
        store.setKeyEntry(config.keyLabel(), pair.getPrivate(), null, new Certificate[] {cert});
      } catch (GeneralSecurityException | ProviderException | OperatorCreationException e) {
        throw failure(config, "generating a " + algorithm + " key on the token", e);
      }
      return signer();
    }

    private X509Certificate selfSigned(KeyPair pair, KeyAlgorithm algorithm)
        throws OperatorCreationException, GeneralSecurityException {
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.CN, "fiscald device key " + config.keyLabel()).build();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
          BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(CERTIFICATE_VALIDITY)), name, pair.getPublic());
      var contentSigner = new JcaContentSignerBuilder(algorithm.signatureName()).setProvider(provider)
          .build(pair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }
  }

  private static Provider configure(Pkcs11Config config) {
    if (!Files.isRegularFile(config.library())) {
      throw new SigningException(Reason.UNAVAILABLE, "PKCS#11 library " + config.library()
          + " not found; install the token's middleware (for SoftHSM2: apt-get install softhsm2) or fix"
          + " --pkcs11-library", null);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new SigningException(Reason.UNAVAILABLE, "this JVM has no SunPKCS11 provider (module"
          + " jdk.crypto.cryptoki); use a full JDK/JRE 17 build", null);
    }
    String name = "fiscald-" + PROVIDERS.incrementAndGet();
    try {
      return base.configure("--" + config.sunPkcs11Config(name));
    } catch (ProviderException | IllegalArgumentException e) {
      throw failure(config, "loading the module", e);
    }
  }

  /** Maps the provider's exception chain to a reason and a sentence naming the token and slot. */
  static SigningException failure(Pkcs11Config config, String doing, Throwable e) {
    String chain = chainText(e);
    Reason reason;
    String why;
    if (has(e, FailedLoginException.class) || chain.contains("CKR_PIN_INCORRECT")) {
      reason = Reason.PIN_INCORRECT;
      why = "the token refused the PIN (CKR_PIN_INCORRECT)";
    } else if (chain.contains("CKR_PIN_LOCKED")) {
      reason = Reason.PIN_INCORRECT;
      why = "the token's PIN is locked after too many wrong attempts (CKR_PIN_LOCKED); unblock it with the SO PIN";
    } else if (chain.contains("CKR_PIN_LEN_RANGE")) {
      reason = Reason.PIN_INCORRECT;
      why = "the PIN has a length the token does not accept (CKR_PIN_LEN_RANGE)";
    } else if (chain.contains("CKR_SLOT_ID_INVALID") || chain.contains("slotListIndex")
        || chain.contains("CKR_TOKEN_NOT_PRESENT") || chain.contains("Token not present")
        || chain.contains("CKR_TOKEN_NOT_RECOGNIZED") || chain.contains("CKR_DEVICE_REMOVED")) {
      reason = Reason.UNAVAILABLE;
      why = "no usable token in " + config.slotDescription() + " (" + lastMessage(e) + ")";
    } else if (chain.contains("CKR_USER_NOT_LOGGED_IN") || chain.contains("CKR_DEVICE_ERROR")
        || chain.contains("CKR_SESSION")) {
      reason = Reason.UNAVAILABLE;
      why = lastMessage(e);
    } else if (chain.contains("Initialization failed") || chain.contains("cannot open shared object")
        || chain.contains("wrong ELF class")) {
      reason = Reason.UNAVAILABLE;
      why = "the module library could not be loaded (" + lastMessage(e) + ")";
    } else {
      reason = Reason.UNAVAILABLE;
      why = lastMessage(e);
    }
    return new SigningException(reason, "PKCS#11 " + doing + " failed for " + config.describe() + ": " + why, e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String chainText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return text.toString();
  }

  private static String lastMessage(Throwable e) {
    Throwable last = e;
    while (last.getCause() != null) {
      last = last.getCause();
    }
    String message = last.getMessage();
    return message == null ? last.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT).startsWith("ckr_")
        ? message : last.getClass().getSimpleName() + ": " + message;
  }

  /** Overwrites a PIN copy once it is no longer needed. */
  public static void wipe(char[] pin) {
    if (pin != null) {
      Arrays.fill(pin, '\0');
    }
  }
}
