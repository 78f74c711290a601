package io.fiscald.hal.sign;

import io.fiscald.hal.sign.pkcs11.Pkcs11Config;
import io.fiscald.hal.sign.pkcs11.Pkcs11Signer;
import io.fiscald.hal.sign.pkcs11.SoftHsm;
import java.util.EnumMap;
import java.util.Map;

/** The shared signer vectors against keys generated on a SoftHSM2 token. */
class Pkcs11SignerContractTest extends SignerContract {
  private static final Map<KeyAlgorithm, Pkcs11Signer> SIGNERS = new EnumMap<>(KeyAlgorithm.class);

  @Override
  Signer signer(KeyAlgorithm algorithm) {
    long slot = SoftHsm.token("fiscald-contract");
    synchronized (SIGNERS) {
      return SIGNERS.computeIfAbsent(algorithm, alg -> Pkcs11Signer.openOrGenerate(
          new Pkcs11Config(SoftHsm.library(), slot, null, "contract-" + alg), SoftHsm.USER_PIN.toCharArray(), alg));
    }
  }
}
