package io.fiscald.agent.render;

import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.device.DeviceSettings;
import io.fiscald.agent.print.ReceiptDocument;
import io.fiscald.hal.print.PlainText;
import java.util.List;

/**
 * Renders a fiscal receipt as the text a thermal printer prints (32, 42 or 48 columns): the same
 * {@link ReceiptDocument} the printer gets, as plain text.
 */
public final class ReceiptText {
  private ReceiptText() {}

  /**
   * @param fiscalBlock the authority profile's lines (verification code, signature, ...)
   * @param copyNumber 0 for the original; a reprint is marked as a copy
   */
  public static String render(FiscalReceipt r, DeviceSettings shop, List<String> fiscalBlock, int copyNumber,
      int width) {
    return PlainText.render(ReceiptDocument.build(r, shop, fiscalBlock, width,
        ReceiptDocument.Options.screen(copyNumber)));
  }

  /** As above, with the authority's header and layout rules ({@code AuthorityProfile.header}) or null. */
  public static String render(FiscalReceipt r, DeviceSettings shop, List<String> fiscalBlock,
      io.fiscald.agent.profile.ReceiptHeader header, int copyNumber, int width) {
    return PlainText.render(ReceiptDocument.build(r, shop, fiscalBlock, header, width,
        ReceiptDocument.Options.screen(copyNumber)));
  }
}
