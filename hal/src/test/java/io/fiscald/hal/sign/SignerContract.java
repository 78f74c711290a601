package io.fiscald.hal.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Test vectors every {@link Signer} must pass (software key, PKCS#11 token, control unit); an
 * implementation's test extends this class and says how to obtain a signer.
 */
abstract class SignerContract {

  /** A signer for {@code algorithm}; may be shared between test methods. */
  abstract Signer signer(KeyAlgorithm algorithm);

  private static final byte[] RECEIPT =
      "23265842026-06-01T10:15:00FISCALINVOICEUSD1234A0.00500B15.003500".getBytes(UTF_8);

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void signatureVerifiesWithItsPublicKey(KeyAlgorithm algorithm) {
    Signer signer = signer(algorithm);

    byte[] signature = signer.sign(RECEIPT);

    assertThat(signer.algorithm()).isEqualTo(algorithm);
    assertThat(PublicKeys.algorithmOf(signer.publicKey())).isEqualTo(algorithm);
    assertThat(PublicKeys.verify(signer.publicKey(), RECEIPT, signature)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void signatureDoesNotVerifyAlteredData(KeyAlgorithm algorithm) {
    Signer signer = signer(algorithm);
    byte[] signature = signer.sign(RECEIPT);

    byte[] altered = RECEIPT.clone();
    altered[altered.length - 1] ^= 0x01;

    assertThat(PublicKeys.verify(signer.publicKey(), altered, signature)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void alteredSignatureDoesNotVerify(KeyAlgorithm algorithm) {
    Signer signer = signer(algorithm);
    byte[] signature = signer.sign(RECEIPT);

    byte[] altered = signature.clone();
    altered[altered.length - 1] ^= 0x01;

    assertThat(PublicKeys.verify(signer.publicKey(), RECEIPT, altered)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void signatureHasTheAuthoritiesEncoding(KeyAlgorithm algorithm) {
    byte[] signature = signer(algorithm).sign(RECEIPT);

    if (algorithm == KeyAlgorithm.EC_P256) {
      // DER SEQUENCE { r INTEGER, s INTEGER }, at most 2 + 2 * (2 + 33) bytes
      assertThat(signature[0]).isEqualTo((byte) 0x30);
      assertThat(signature[1] & 0xff).isEqualTo(signature.length - 2);
      assertThat(signature.length).isBetween(8, 72);
    } else {
      assertThat(signature).hasSize(256);
    }
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void signsEmptyInput(KeyAlgorithm algorithm) {
    Signer signer = signer(algorithm);

    assertThat(PublicKeys.verify(signer.publicKey(), new byte[0], signer.sign(new byte[0])))
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void publicKeySurvivesPemRoundTrip(KeyAlgorithm algorithm) {
    Signer signer = signer(algorithm);

    String pem = PublicKeys.toPem(signer.publicKey());

    assertThat(PublicKeys.fromPem(pem).getEncoded()).isEqualTo(signer.publicKey().getEncoded());
    assertThat(PublicKeys.verify(PublicKeys.fromPem(pem), RECEIPT, signer.sign(RECEIPT))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void concurrentSignaturesFromEightThreadsAllVerify(KeyAlgorithm algorithm) throws Exception {
    Signer signer = signer(algorithm);
    int threads = 8;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<byte[][]>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<byte[][]> signed = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    // distinct data per call, so a signature computed over another thread's
                    // bytes (shared Signature state) would fail to verify
                    byte[] data = ("receipt " + thread + "/" + i).getBytes(UTF_8);
                    signed.add(new byte[][] {data, signer.sign(data)});
                  }
                  return signed;
                }));
      }
      start.countDown();

      int verified = 0;
      for (Future<List<byte[][]>> result : results) {
        for (byte[][] pair : result.get()) {
          assertThat(PublicKeys.verify(signer.publicKey(), pair[0], pair[1]))
              .as("signature over %s", new String(pair[0], UTF_8))
              .isTrue();
          verified++;
        }
      }
      assertThat(verified).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  static boolean containsSubsequence(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
