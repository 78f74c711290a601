package io.fiscald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.authority.kra.KraCodeLists;
import io.fiscald.agent.authority.kra.KraCodes;
import io.fiscald.agent.authority.kra.KraConfig;
import io.fiscald.agent.authority.kra.KraDraftReceipt;
import io.fiscald.agent.authority.kra.KraItem;
import io.fiscald.agent.authority.kra.KraItems;
import io.fiscald.agent.authority.kra.KraJson;
import io.fiscald.agent.authority.kra.KraLabel;
import io.fiscald.agent.authority.kra.KraPayloadCheck;
import io.fiscald.agent.authority.kra.KraPaymentCodes;
import io.fiscald.agent.authority.kra.KraRates;
import io.fiscald.agent.authority.kra.KraRuntime;
import io.fiscald.agent.authority.kra.KraSale;
import io.fiscald.agent.authority.kra.KraSettings;
import io.fiscald.agent.authority.kra.KraState;
import io.fiscald.agent.authority.kra.PriceMode;
import io.fiscald.agent.authority.kra.SaleContext;
import io.fiscald.agent.authority.kra.SaleMode;
import io.fiscald.agent.authority.kra.SalePayloadBuilder;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.FiscalReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.agent.receipt.ReceiptRequestParser;
import io.fiscald.agent.receipt.ReceiptType;
import io.fiscald.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fiscalctl kra}: the KRA eTIMS technician commands. */
@Command(name = "kra", mixinStandardHelpOptions = true,
    description = {"KRA eTIMS: code lists, registered items, the printed receipt and a payload inspector.",
        "Register first with: fiscalctl device register --authority kra --pin P --branch 00 --serial S"},
    subcommands = {KraCommand.Codes.class, KraCommand.Items.class, KraCommand.SalePayload.class,
        KraCommand.Receipt.class, KraCommand.Settings.class})
final class KraCommand {

  /** {@code fiscalctl kra settings [set NAME=VALUE...]}. */
  @Command(name = "settings", mixinStandardHelpOptions = true,
      description = {"Show the KRA settings a technician may change after registration, or change some with 'set'.",
          "Each change is journalled (CONFIGURATION_CHANGED, old and new value). Stop the daemon first.",
          "PIN, branch, serial, environment, transport and URLs are not settings: register again to change them.",
          "", "Examples:", "  fiscalctl kra settings",
          "  fiscalctl kra settings set signatureWaitMillis=5000 provisionalSlip=true"})
  static final class Settings extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "set", description = "Change the settings that follow.")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME=VALUE", description = "A setting and its new value.")
    List<String> assignments = new ArrayList<>();

    @Override
    int run() {
      initialisedDataDirectory();
      if (action != null && !"set".equals(action)) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "kra settings takes 'set NAME=VALUE...' or nothing, got '"
            + action + "'");
      }
      Map<String, String> changes = new LinkedHashMap<>();
      for (String a : assignments) {
        int eq = a.indexOf('=');
        if (eq <= 0 || changes.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim()) != null) {
          throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "give each setting once as NAME=VALUE, got '" + a + "'");
        }
      }
      if (action == null && !changes.isEmpty()) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "to change settings say 'set': fiscalctl kra settings set "
            + String.join(" ", assignments));
      }
      try (Agent agent = openAgent()) {
        Map<String, Object> view = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        if (action != null) {
          Map<String, Map<String, Object>> changed = KraSettings.apply(agent, changes, Clock.systemUTC());
          view.put("changed", changed);
          changed.forEach((name, fromTo) -> text.append("changed ").append(name).append(": ")
              .append(fromTo.get("from")).append(" -> ").append(fromTo.get("to")).append('\n'));
          if (changed.isEmpty()) {
            text.append("nothing changed (the settings already have these values)\n");
          }
        }
        try (Connection c = agent.newStateConnection()) {
          Map<String, Object> settings = KraSettings.show(KraState.requireConfig(c));
          view.put("settings", settings);
          settings.forEach((name, value) -> text.append(String.format("%-20s %-8s %s%n", name, value,
              KraSettings.CHANGEABLE.get(name))));
        }
        result(view, text.toString().stripTrailing());
      } catch (java.sql.SQLException e) {
        throw new FiscalException(ErrorCode.STORAGE_ERROR, "cannot close the state connection: " + e.getMessage());
      }
      return 0;
    }
  }

  /** {@code fiscalctl kra codes [refresh]}. */
  @Command(name = "codes", mixinStandardHelpOptions = true,
      description = {"Show the cached eTIMS code lists (rates of class 04, payment codes of class 07), or pull the",
          "changes since the last pull with 'refresh' (001 = nothing new, not an error).", "", "Examples:",
          "  fiscalctl kra codes", "  fiscalctl kra codes refresh --json"})
  static final class Codes extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "refresh", description = "Pull changes from eTIMS.")
    String action;

    @Override
    int run() throws Exception {
      initialisedDataDirectory();
      if (action != null && !"refresh".equals(action)) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "kra codes takes 'refresh' or nothing, got '" + action
            + "'");
      }
      try (Agent agent = openAgent(); KraRuntime kra = KraRuntime.attach(agent, Clock.systemUTC());
          Connection c = agent.newStateConnection()) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (action != null) {
          KraCodes.Result r = kra.refreshCodes();
          view.put("refreshed", r.kinds());
        }
        KraCodeLists codes = KraState.codes(c);
        view.put("lastReqDt", codes.lastReqDt());
        view.put("classes", codes.classCount());
        view.put("codes", codes.codeCount());
        view.put("taxRates", KraState.rates(c, kra.config()).toString());
        view.put("taxTypes", codes.classAsJson(KraCodeLists.TAX_TYPE));
        view.put("paymentTypes", codes.classAsJson(KraCodeLists.PAYMENT_TYPE));
        result(view, (action != null ? "Refreshed: " + view.get("refreshed") + "\n" : "") + "Code list of "
            + codes.lastReqDt() + ": " + codes.classCount() + " classes, " + codes.codeCount() + " codes\n"
            + "Tax rates (class 04): " + view.get("taxRates"));
      }
      return 0;
    }
  }

  /** {@code fiscalctl kra items}. */
  @Command(name = "items", mixinStandardHelpOptions = true,
      description = {"List the items registered with eTIMS (itemCd = country, type, packaging, unit, sequence).",
          "", "Example:", "  fiscalctl kra items --json"})
  static final class Items extends BaseCommand {
    @Override
    int run() throws Exception {
      initialisedDataDirectory();
      try (Connection c = Database.openReadOnly(dataDirectory().database())) {
        List<KraItem> items = KraItems.all(c);
        StringBuilder text = new StringBuilder(items.size() + " item(s)\n");
        for (KraItem i : items) {
          text.append(String.format("%-14s %-4s %s%s%n", i.itemCd(), i.taxTyCd(), i.itemNm(),
              i.registered() ? "" : "  (not yet registered)"));
        }
        result(Map.of("items", items), text.toString());
      }
      return 0;
    }
  }

  /** {@code fiscalctl kra receipt NUMBER}. */
  @Command(name = "receipt", mixinStandardHelpOptions = true,
      description = {"Print a receipt as the eTIMS layout prints it, with its SCU block once eTIMS has signed it.",
          "", "Example:", "  fiscalctl kra receipt INV-000001 --copy"})
  static final class Receipt extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NUMBER")
    String number;

    @Option(names = "--copy", description = "Print as a copy (CS/CC, watermarked).")
    boolean copy;

    @Option(names = "--width", defaultValue = "48", description = "Paper width (default ${DEFAULT-VALUE}).")
    int width;

    @Override
    int run() {
      initialisedDataDirectory();
      try (Agent agent = openAgent(); KraRuntime kra = KraRuntime.attach(agent, Clock.systemUTC())) {
        String text = kra.render(number, copy, width);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("receiptNumber", number);
        view.put("status", kra.outboxOf(number).map(m -> m.status()).orElse(null));
        view.put("signature", kra.signature(number).map(s -> s.toMap()).orElse(null));
        view.put("text", text);
        result(view, text);
      }
      return 0;
    }
  }

  /** {@code fiscalctl kra sale-payload --input REQUEST.json}. */
  @Command(name = "sale-payload", mixinStandardHelpOptions = true,
      description = {"Show the exact saveTrnsSalesOsdc request the agent would send for a receipt request in",
          "fiscald's own format (docs/RECEIPT-REQUEST.md), with the device's current rates, or offline with",
          "--rates. invcNo is the next the branch would take (1 offline); no cmcKey is ever shown. The amounts",
          "are re-checked the way the live gateway checks them; problems are listed in KRA's own words.",
          "", "Examples:", "  fiscalctl kra sale-payload --input docs/examples/receipt-request.json --rates "
              + "A=0,B=16,C=0,D=0,E=8 --json",
          "  fiscalctl --data-dir /var/lib/fiscald kra sale-payload --input sale.json"})
  static final class SalePayload extends BaseCommand {
    @Option(names = "--input", required = true, paramLabel = "REQUEST.json", description = "The receipt request.")
    Path input;

    @Option(names = "--rates", paramLabel = "B=16,E=8",
        description = "Band rates; over the device's code list, or all five when there is no device.")
    String rates;

    @Option(names = "--mode", defaultValue = "normal", paramLabel = "MODE",
        description = "normal, training or proforma (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--original-invc-no", defaultValue = "1", paramLabel = "N",
        description = "Credit notes: the original's eTIMS invoice number offline (default ${DEFAULT-VALUE}).")
    long originalInvcNo;

    @Override
    int run() throws Exception {
      String json;
      try {
        json = Files.readString(input);
      } catch (IOException e) {
        throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read " + input + ": " + e.getMessage(),
            Map.of("file", String.valueOf(input)));
      }
      ReceiptRequest request = new ReceiptRequestParser().parse(json);
      KraConfig config = null;
      KraRates base = null;
      List<KraCodeLists.Code> class07 = KraPaymentCodes.specTable();
      List<KraCodeLists.Code> class32 = List.of();
      long invcNo = 1;
      if (Files.isRegularFile(dataDirectory().database())) {
        try (Connection c = Database.openReadOnly(dataDirectory().database())) {
          config = KraState.config(c).orElse(null);
          if (config != null) {
            KraCodeLists codes = KraState.codes(c);
            if (!codes.codes(KraCodeLists.PAYMENT_TYPE).isEmpty()) {
              class07 = codes.codes(KraCodeLists.PAYMENT_TYPE);
            }
            class32 = codes.codes(KraCodeLists.REFUND_REASON);
            try {
              base = KraState.rates(c, config);
            } catch (FiscalException e) {
              base = null; // no complete class 04 cached: --rates must give all five
            }
            invcNo = KraState.lastInvoiceNo(c, config) + 1;
          }
        }
      }
      if (rates == null && base == null) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "no rates: give --rates A=0,B=16,C=0,D=0,E=8 (offline)"
            + " or --data-dir of a registered KRA device");
      }
      KraRates effective = rates == null ? base : KraRates.parse(rates, base);
      if (config == null) {
        config = KraConfig.of("P000000000X", "00", "OFFLINE", "sandbox", "oscu", null);
      }
      boolean credit = request.type() == ReceiptType.CREDIT_NOTE;
      String number = credit ? "CRN-000001" : "INV-000001";
      FiscalReceipt receipt = KraDraftReceipt.of(request, effective, number,
          io.fiscald.agent.core.Timestamps.format(Instant.now()),
          request.original() == null ? null : request.original().receiptNumber());
      PriceMode priceMode = config.prices();
      SalePayloadBuilder.checkShape(receipt, priceMode);
      List<KraItem> items = new ArrayList<>();
      Map<String, KraItem> byKey = new LinkedHashMap<>();
      for (FiscalReceipt.Line line : receipt.lines()) {
        String key = KraItem.keyOf(line.code(), line.name(), line.taxCode());
        KraConfig cfg = config;
        items.add(byKey.computeIfAbsent(key, k -> KraItems.draft(cfg, line, byKey.size() + 1)));
      }
      KraLabel label = KraLabel.of(SaleMode.parse(mode), credit);
      String reason = credit ? io.fiscald.agent.authority.kra.KraCreditNotes.reasonCode(request.reason(), class32,
          config.defaultRefundReason()) : null;
      KraSale sale = SalePayloadBuilder.build(receipt, new SaleContext(config.pin(), config.bhfId(), invcNo,
          credit ? originalInvcNo : 0, label, effective, priceMode,
          KraPaymentCodes.from(class07, config.paymentCodes()).pmtTyCd(receipt.payments()), items, reason,
          null, null, config.registrantId()));
      JsonNode payload = KraJson.tree(sale.payload());
      List<String> problems = priceMode == PriceMode.INCLUSIVE ? KraPayloadCheck.check(payload, effective) : List.of();
      if (json()) {
        System.out.println(KraJson.pretty(payload));
      } else {
        System.out.println(KraJson.pretty(payload));
        System.err.println(problems.isEmpty() ? "amounts check out against the live gateway's rules (rates "
            + effective + ")" : "eTIMS would refuse it: " + String.join("; ", problems));
      }
      return problems.isEmpty() ? 0 : 2;
    }
  }
}
