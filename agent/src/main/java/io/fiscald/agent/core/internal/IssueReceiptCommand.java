package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.core.JournalKind;
import io.fiscald.agent.profile.ReceiptSeal;
import io.fiscald.agent.core.ReceiptCodec;
import io.fiscald.agent.receipt.ReceiptMode;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.agent.tax.Money;
import io.fiscald.agent.tax.TaxedReceipt;
import io.fiscald.store.JournalEntry;
import io.fiscald.store.Outbox;
import io.fiscald.store.PrintJobs;
import io.fiscald.store.ReceiptRecord;
import io.fiscald.store.Receipts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Fiscalises one taxed request: checks the day and the original, numbers, journals and stores the
 * receipt with its outbox message and print job. Taxes were computed before queueing (off the writer
 * thread); everything that depends on the chain or on other receipts happens here.
 */
final class IssueReceiptCommand extends WriteCommand<IssuedReceipt> {
  private final ReceiptRequest request;
  private final TaxedReceipt taxed;
  private final ReceiptAssembler.Prepared prepared;

  /** Runs on the caller's thread: everything that does not need the numbers is prepared here. */
  IssueReceiptCommand(ReceiptRequest request, TaxedReceipt taxed) {
    this.request = request;
    this.taxed = taxed;
    this.prepared = ReceiptAssembler.prepare(request, taxed);
  }

  @Override
  Answer<IssuedReceipt> apply(WriteContext ctx) {
    ChainState s = ctx.state;
    Instant now = ctx.now();
    checkDay(ctx, now);
    String originalNumber = request.type().isNote() ? checkOriginal(ctx) : null;

    ReceiptType type = request.type();
    long invoiceNo = s.invoiceNo.get(type) + 1;
    long globalNo = s.globalNo + 1;
    long dayCounter = s.dayCounter + 1;
    String issuedAt = WriteContext.format(now);
    FiscalReceipt draft = ReceiptAssembler.assemble(ctx.deviceId, ctx.profile.name(),
        ctx.profile.receiptNumber(type, invoiceNo), prepared, s.day.dayNo(), dayCounter, globalNo,
        invoiceNo, issuedAt, originalNumber, Map.of());
    FiscalReceipt receipt = ReceiptAssembler.withAuthorityFields(draft, ctx.profile.authorityFields(draft, ctx));
    String body = ReceiptJson.write(receipt, prepared.json());

    PendingEntry entry = ctx.append(JournalKind.RECEIPT, issuedAt, body);
    long receiptId = Receipts.insert(ctx.connection, new ReceiptRecord(0, receipt.receiptNumber(), type.name(),
        receipt.dayNo(), dayCounter, globalNo, invoiceNo, receipt.currency(), receipt.totalMinor(),
        receipt.taxMinor(), issuedAt, entry.seq(), originalNumber, body));
    ctx.profile.outboxMessageType(receipt).ifPresent(messageType -> Outbox.enqueue(ctx.connection, receiptId,
        entry.seq(), ctx.profile.name(), messageType, body, issuedAt));
    PrintJobs.enqueue(ctx.connection, receiptId, 0, issuedAt);
    ctx.countersAdvanced(type); // written once per batch, before COMMIT

    s.globalNo = globalNo;
    s.invoiceNo.put(type, invoiceNo);
    s.dayCounter = dayCounter;
    s.lastReceiptOfDay = receipt;
    return () -> {
      JournalEntry signed = entry.entry();
      return new IssuedReceipt(receipt, new ReceiptSeal(signed.seq(), signed.hash(), signed.signature()));
    };
  }

  private static void checkDay(WriteContext ctx, Instant now) {
    ChainState s = ctx.state;
    if (!s.dayOpen()) {
      throw new FiscalException(ErrorCode.DAY_NOT_OPEN,
          "no fiscal day is open; open one first (fiscalctl day open, or POST /v1/day/open)",
          s.day == null ? Map.of() : Map.of("lastDayNo", s.day.dayNo()));
    }
    Duration open = Duration.between(s.dayOpenedAt(), now);
    Duration limit = Duration.ofHours(ctx.settings.maxDayHours());
    if (open.compareTo(limit) > 0) {
      throw new FiscalException(ErrorCode.DAY_TOO_LONG, String.format(
          "fiscal day %d has been open %dh %02dm, longer than the %dh allowed; close it (fiscalctl day close) "
              + "and open a new one", s.day.dayNo(), open.toHours(), open.toMinutesPart(), limit.toHours()),
          Map.of("dayNo", s.day.dayNo(), "openedAt", s.day.openedAt(), "maxDayHours", limit.toHours()));
    }
  }

  /** A note must point at an invoice of this device in the same currency, and a credit never exceeds what is left. */
  private String checkOriginal(WriteContext ctx) {
    String number = request.original().receiptNumber();
    ReceiptRecord original = Receipts.findByNumber(ctx.connection, number).orElseThrow(() ->
        new FiscalException(ErrorCode.ORIGINAL_NOT_FOUND, "original receipt " + number
            + " does not exist on this device", Map.of("field", "original.receiptNumber")));
    if (!ReceiptType.INVOICE.name().equals(original.type())) {
      throw new FiscalException(ErrorCode.ORIGINAL_NOT_AN_INVOICE, "receipt " + number + " is a "
          + original.type() + "; notes can only correct an invoice", Map.of("field", "original.receiptNumber"));
    }
    ReceiptMode originalMode = ReceiptCodec.receipt(original.body()).receiptMode();
    if (originalMode != request.mode()) {
      // A training note corrects a training sale only, and a real note never corrects a training document.
      throw new FiscalException(ErrorCode.INVALID_FIELD, "a " + request.mode() + " note cannot correct " + number
          + ", which is a " + originalMode + " invoice; the note's mode must be " + originalMode,
          Map.of("field", "mode", "originalMode", originalMode.name()));
    }
    if (!original.currency().equals(taxed.currency())) {
      throw new FiscalException(ErrorCode.CURRENCY_MISMATCH, "the note is in " + taxed.currency()
          + " but invoice " + number + " is in " + original.currency(), Map.of("field", "currency"));
    }
    if (request.type() == ReceiptType.CREDIT_NOTE) {
      long credited = Receipts.sumOfNotes(ctx.connection, number, ReceiptType.CREDIT_NOTE.name());
      long remaining = original.totalMinor() - credited;
      if (taxed.totalMinor() > remaining) {
        int digits = taxed.minorDigits();
        throw new FiscalException(ErrorCode.CREDIT_EXCEEDS_ORIGINAL, String.format(
            "credit note of %s %s exceeds what remains of invoice %s (%s of %s %s already credited, %s left)",
            Money.format(taxed.totalMinor(), digits), taxed.currency(), number,
            Money.format(credited, digits), Money.format(original.totalMinor(), digits), taxed.currency(),
            Money.format(remaining, digits)),
            Map.of("original", number, "remaining", Money.format(remaining, digits),
                "requested", Money.format(taxed.totalMinor(), digits)));
      }
    }
    return number;
  }
}
