package io.fiscald.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.ReceiptType;
import org.junit.jupiter.api.Test;

/** The local receipt number is the zero-padded form it always had ({@code %s-%06d}). */
class LocalProfileTest {
  @Test
  void receiptNumbersAreTheFormattedOnes() {
    LocalProfile profile = new LocalProfile(DeviceSettings.defaults());
    long[] numbers = {0, 1, 9, 10, 42, 99_999, 100_000, 999_999, 1_000_000, 12_345_678, Long.MAX_VALUE, -1, -42,
        Long.MIN_VALUE};
    for (ReceiptType type : ReceiptType.values()) {
      for (long n : numbers) {
        assertThat(profile.receiptNumber(type, n)).isEqualTo(String.format("%s-%06d", type.numberPrefix(), n));
      }
    }
    assertThat(profile.receiptNumber(ReceiptType.INVOICE, 42)).isEqualTo("INV-000042");
  }
}
