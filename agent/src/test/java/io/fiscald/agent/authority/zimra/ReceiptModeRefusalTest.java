package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.testing.TestDevice;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training and proforma receipts exist for KRA only: the ZIMRA and local profiles refuse them, storing nothing. */
class ReceiptModeRefusalTest {
  @TempDir
  Path tmp;

  final Clock clock = Clock.systemUTC();

  static ReceiptRequest withMode(ReceiptRequest r, ReceiptMode mode) {
    return new ReceiptRequest(r.type(), r.currency(), r.pricesIncludeTax(), r.lines(), r.payments(), r.buyer(),
        r.original(), r.reason(), mode);
  }

  static void refusedAndNothingStored(Agent agent, ReceiptRequest normal, String authority) throws Exception {
    for (ReceiptMode mode : List.of(ReceiptMode.TRAINING, ReceiptMode.PROFORMA)) {
      assertThatThrownBy(() -> agent.core().issue(withMode(normal, mode)))
          .isInstanceOfSatisfying(FiscalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_MODE_NOT_SUPPORTED);
            assertThat(e.code().httpStatus()).isEqualTo(422);
            assertThat(e.details()).containsEntry("field", "mode").containsEntry("mode", mode.name())
                .containsEntry("authority", authority).containsEntry("allowed", List.of("NORMAL"));
            assertThat(e.getMessage()).contains(authority).contains(mode.name());
          });
    }
    assertThat(agent.core().xReport().receiptCount()).as("nothing journalled for the refusals").isZero();
    // the same request as NORMAL goes through
    assertThat(agent.core().issue(normal).receipt().receiptMode()).isEqualTo(ReceiptMode.NORMAL);
  }

  @Test
  void theLocalProfileRefusesTrainingAndProforma() throws Exception {
    DataDirectory dir = TestDevice.create(tmp.resolve("local"), clock);
    try (Agent agent = TestDevice.open(dir, clock)) {
      agent.core().openDay();
      refusedAndNothingStored(agent, TestDevice.sugarSale(), "local");
      assertThat(agent.core().xReport().receiptCount()).isEqualTo(1);
    }
  }

  @Test
  void theZimraProfileRefusesTrainingAndProforma() throws Exception {
    ZimraProfileTest setup = new ZimraProfileTest();
    setup.tmp = tmp;
    DataDirectory dir = setup.device();
    try (Agent agent = Agent.open(dir, TestDevice.ENV, clock)) {
      agent.core().openDay();
      refusedAndNothingStored(agent, ZimraProfileTest.sale(ReceiptType.INVOICE, null, "2", "1.55", "517", "5.00"),
          "zimra");
      assertThat(agent.core().xReport().receiptCount()).isEqualTo(1);
    }
  }
}
