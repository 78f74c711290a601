package io.fiscald.hal.sign;

/** Device key types, in the authorities' order of preference (ZIMRA allows both). */
public enum KeyAlgorithm {
  EC_P256("EC", "SHA256withECDSA"),
  RSA_2048("RSA", "SHA256withRSA");

  private final String keyFactoryName;
  private final String signatureName;

  KeyAlgorithm(String keyFactoryName, String signatureName) {
    this.keyFactoryName = keyFactoryName;
    this.signatureName = signatureName;
  }

  /** JCA KeyFactory / KeyPairGenerator name. */
  public String keyFactoryName() {
    return keyFactoryName;
  }

  /** JCA Signature name. */
  public String signatureName() {
    return signatureName;
  }
}
