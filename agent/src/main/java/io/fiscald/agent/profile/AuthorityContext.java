package io.fiscald.agent.profile;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.hal.sign.Signer;
import io.fiscald.store.DeviceRecord;
import java.util.Optional;

/**
 * What a profile may consult while the fiscal core's writer builds a receipt or closes a day: the
 * device, its signing key (ZIMRA signs its own signature string), and the previous receipt of the
 * same fiscal day (ZIMRA chains receipts within a day).
 */
public interface AuthorityContext {
  DeviceRecord device();

  Signer signer();

  /** The last receipt issued in the current fiscal day, empty for the day's first receipt. */
  Optional<FiscalReceipt> previousReceiptOfDay();
}
