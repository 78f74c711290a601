package io.fiscald.hal.sign.pkcs11;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import io.fiscald.hal.sign.SigningException;
import io.fiscald.hal.sign.SigningException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Pkcs11SignerTest {
  private static final byte[] DATA = "RECEIPT 1 KES 116000".getBytes(UTF_8);
  private static long slot;

  @BeforeAll
  static void token() {
    slot = SoftHsm.token("fiscald-signer");
  }

  private static Pkcs11Config config(String label) {
    return new Pkcs11Config(SoftHsm.library(), slot, null, label);
  }

  private static char[] pin() {
    return SoftHsm.USER_PIN.toCharArray();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void signatureVerifiesWithTheExportedCertificate(KeyAlgorithm algorithm) throws Exception {
    Pkcs11Signer signer = Pkcs11Signer.generate(config("export-" + algorithm), pin(), algorithm);
    byte[] exported = signer.certificate().getEncoded();

    // what an auditor or the authority would do: parse the exported certificate, nothing else
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(exported));
    cert.verify(cert.getPublicKey()); // self-signed on the token
    assertThat(PublicKeys.verify(cert.getPublicKey(), DATA, signer.sign(DATA))).isTrue();
    assertThat(cert.getPublicKey().getEncoded()).isEqualTo(signer.publicKey().getEncoded());
    assertThat(cert.getSubjectX500Principal().getName()).contains("export-" + algorithm);
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void privateKeyNeverLeavesTheToken(KeyAlgorithm algorithm) throws Exception {
    String label = "sealed-" + algorithm;
    Pkcs11Signer signer = Pkcs11Signer.generate(config(label), pin(), algorithm);
    assertThat(signer.keyExtractable()).isFalse();

    // an independent session on the same token tries every way the JCA offers to read the key
    Provider provider = Security.getProvider("SunPKCS11").configure("--" + config(label).sunPkcs11Config("thief"));
    KeyStore store = KeyStore.getInstance("PKCS11", provider);
    store.load(null, pin());
    Key key = store.getKey(label, null);
    assertThat(key).isInstanceOf(PrivateKey.class);
    assertThat(key.getEncoded()).as("encoded private key").isNull();
    assertThat(key.getFormat()).isNull();
    assertThat(key.toString()).contains("token object").contains("sensitive").contains("unextractable");
    KeyFactory factory = KeyFactory.getInstance(algorithm.keyFactoryName(), provider);
    Class<? extends java.security.spec.KeySpec> spec =
        algorithm == KeyAlgorithm.EC_P256 ? ECPrivateKeySpec.class : RSAPrivateKeySpec.class;
    assertThatThrownBy(() -> factory.getKeySpec(key, spec)).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> factory.getKeySpec(key, PKCS8EncodedKeySpec.class)).isInstanceOf(Exception.class);
    // and the key still signs: it is there, only unreadable
    assertThat(PublicKeys.verify(signer.publicKey(), DATA, signer.sign(DATA))).isTrue();
  }

  @Test
  void reopeningFindsTheSameKeyByLabel() {
    Pkcs11Signer created = Pkcs11Signer.generate(config("reopen"), pin(), KeyAlgorithm.EC_P256);

    Pkcs11Signer reopened = Pkcs11Signer.open(config("reopen"), pin());

    assertThat(reopened.publicKey().getEncoded()).isEqualTo(created.publicKey().getEncoded());
    assertThat(PublicKeys.verify(created.publicKey(), DATA, reopened.sign(DATA))).isTrue();
    assertThat(Pkcs11Signer.openOrGenerate(config("reopen"), pin(), KeyAlgorithm.RSA_2048).algorithm())
        .as("an existing key is used as it is").isEqualTo(KeyAlgorithm.EC_P256);
  }

  @Test
  void generateRefusesALabelInUse() {
    Pkcs11Signer.generate(config("taken"), pin(), KeyAlgorithm.EC_P256);

    assertThatThrownBy(() -> Pkcs11Signer.generate(config("taken"), pin(), KeyAlgorithm.EC_P256))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("already holds")
        .extracting(e -> ((SigningException) e).reason()).isEqualTo(Reason.REFUSED);
  }

  @Test
  void missingKeyIsNamedWithTheSlot() {
    assertThatThrownBy(() -> Pkcs11Signer.open(config("no-such-key"), pin()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("no-such-key").hasMessageContaining("slot " + slot)
        .extracting(e -> ((SigningException) e).reason()).isEqualTo(Reason.KEY_NOT_FOUND);
  }

  @Test
  void wrongPinIsRefusedWithoutEchoingIt() {
    long pinSlot = SoftHsm.token("fiscald-pin");
    Pkcs11Config config = new Pkcs11Config(SoftHsm.library(), pinSlot, null, "any");

    assertThatThrownBy(() -> Pkcs11Signer.open(config, "987654".toCharArray()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("refused the PIN")
        .satisfies(e -> {
          assertThat(((SigningException) e).reason()).isEqualTo(Reason.PIN_INCORRECT);
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("987654");
          }
        });
  }

  @Test
  void missingLibraryIsNamed() {
    Pkcs11Config config = new Pkcs11Config(Path.of("/nonexistent/libpkcs11.so"), null, null, "k");

    assertThatThrownBy(() -> Pkcs11Signer.open(config, pin()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("/nonexistent/libpkcs11.so").hasMessageContaining("not found")
        .extracting(e -> ((SigningException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void missingTokenIsNamed() {
    Pkcs11Config config = new Pkcs11Config(SoftHsm.library(), 4242L, null, "k");

    assertThatThrownBy(() -> Pkcs11Signer.open(config, pin()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("slot 4242")
        .extracting(e -> ((SigningException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void toStringNamesTheKeyButNoSecret() {
    Pkcs11Signer signer = Pkcs11Signer.openOrGenerate(config("shown"), pin(), KeyAlgorithm.EC_P256);

    assertThat(signer.toString()).contains("shown").contains("[REDACTED]").doesNotContain(SoftHsm.USER_PIN);
  }
}
