package io.fiscald.agent.testing;

import io.fiscald.agent.Agent;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.receipt.Buyer;
import io.fiscald.agent.receipt.OriginalReference;
import io.fiscald.agent.receipt.Payment;
import io.fiscald.agent.receipt.PaymentMethod;
import io.fiscald.agent.receipt.ReceiptLine;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.hal.sign.KeyAlgorithm;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Creates real devices in temporary data directories, and a few ready-made requests. */
public final class TestDevice {
  /**
   * A fixed master key so tests never touch a key file they did not mean to, and test mode, which lets
   * sandbox devices reach the simulators on loopback.
   */
  public static final Map<String, String> ENV =
      Map.of("FISCALD_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]), "FISCALD_TEST_MODE", "true");

  private TestDevice() {}

  public static DataDirectory create(Path dir, Clock clock) {
    return create(dir, clock, DeviceSettings.defaults());
  }

  public static DataDirectory create(Path dir, Clock clock, DeviceSettings settings) {
    DataDirectory data = new DataDirectory(dir);
    Agent.initialise(data, ENV, "TEST-0001", "sandbox", KeyAlgorithm.EC_P256, settings, clock);
    return data;
  }

  public static Agent open(DataDirectory dir, Clock clock) {
    return Agent.open(dir, ENV, clock);
  }

  /** 2 × Sugar at 522.00 incl. 16 % VAT (band B), paid 1044.00 cash: the README's example. */
  public static ReceiptRequest sugarSale() {
    return sale("2", "522.00", "B", "1044.00");
  }

  public static ReceiptRequest sale(String quantity, String unitPrice, String taxCode, String cash) {
    return new ReceiptRequest(ReceiptType.INVOICE, "KES", true,
        List.of(new ReceiptLine("Sugar 1kg", new BigDecimal(quantity), new BigDecimal(unitPrice), taxCode)),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(cash), null)), null, null, null);
  }

  public static ReceiptRequest creditNote(String original, String quantity, String unitPrice, String refund) {
    return note(ReceiptType.CREDIT_NOTE, original, quantity, unitPrice, refund);
  }

  public static ReceiptRequest note(ReceiptType type, String original, String quantity, String unitPrice,
      String amount) {
    return new ReceiptRequest(type, "KES", true,
        List.of(new ReceiptLine("Sugar 1kg", new BigDecimal(quantity), new BigDecimal(unitPrice), "B")),
        List.of(new Payment(PaymentMethod.CASH, new BigDecimal(amount), null)), new Buyer("Acme Ltd", null),
        new OriginalReference(original), "returned goods");
  }
}
