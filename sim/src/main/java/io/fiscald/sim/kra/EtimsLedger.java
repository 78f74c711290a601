package io.fiscald.sim.kra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulator's eTIMS back office: per-PIN and per-branch state and every rule the sheet states, independent of
 * any client code. One lock (this object) serialises all calls, as KRA's per-branch counters require (sheet §13).
 */
final class EtimsLedger {
  static final ZoneId NAIROBI = ZoneId.of("Africa/Nairobi");
  static final DateTimeFormatter DT14 = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
      .withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter D8 = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter LOOKUP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
  static final List<String> BANDS = List.of("A", "B", "C", "D", "E");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** One call as the ledger needs it: transport, function, lower-cased headers and the JSON body. */
  record Call(Transport transport, EtimsEndpoint endpoint, Map<String, String> headers, ObjectNode body,
      String rawBody) {
  }

  /** What a call produced: the envelope fields and, for a sale, the accepted document. */
  record Outcome(String code, String msg, JsonNode data, AcceptedInvoice invoice, String tin, String bhfId) {
  }

  private static final class Device {
    final String serial;
    final String dvcId;
    final String sdcId;
    final String mrcNo;
    final String cmcKey;
    boolean initialised;

    Device(String serial, String dvcId, String sdcId, String mrcNo, String cmcKey) {
      this.serial = serial;
      this.dvcId = dvcId;
      this.sdcId = sdcId;
      this.mrcNo = mrcNo;
      this.cmcKey = cmcKey;
    }
  }

  private static final class Taxpayer {
    final String tin;
    String name;
    final Map<String, Branch> branches = new TreeMap<>();
    final Map<String, Boolean> knownItemCds = new HashMap<>();
    long lastItemSeq;

    Taxpayer(String tin, String name) {
      this.tin = tin;
      this.name = name;
    }
  }

  private static final class Branch {
    final Taxpayer taxpayer;
    final String bhfId;
    String name;
    LocalDateTime changedAt;
    final Map<String, Device> devices = new LinkedHashMap<>();
    long lastInvcNo;
    final List<AcceptedInvoice> invoices = new ArrayList<>();
    final Map<String, Long> trdInvcNos = new HashMap<>();
    final Map<String, Long> rcptCounters = new HashMap<>();
    long totRcptNo;
    final Map<String, RegisteredItem> items = new LinkedHashMap<>();
    final Map<String, LocalDateTime> itemChangedAt = new HashMap<>();
    long lastSarNo;
    final List<StockMove> moves = new ArrayList<>();
    final Map<String, BigDecimal> stock = new TreeMap<>();
    final Map<String, BigDecimal> stockMaster = new TreeMap<>();
    final Map<String, BigDecimal> saleOutReleased = new HashMap<>();
    long lastPurchaseInvcNo;
    final Map<String, ObjectNode> customers = new LinkedHashMap<>();
    final Map<String, ObjectNode> users = new LinkedHashMap<>();
    final Map<String, ObjectNode> insurances = new LinkedHashMap<>();

    Branch(Taxpayer taxpayer, String bhfId, String name, LocalDateTime changedAt) {
      this.taxpayer = taxpayer;
      this.bhfId = bhfId;
      this.name = name;
      this.changedAt = changedAt;
    }

    AcceptedInvoice invoice(long invcNo) {
      return invcNo >= 1 && invcNo <= invoices.size() ? invoices.get((int) invcNo - 1) : null;
    }
  }

  private record Notice(long noticeNo, String title, String cont, LocalDateTime at) {
  }

  private final EtimsSimulator.Options options;
  private final byte[] seed;
  private final Map<String, Taxpayer> taxpayers = new TreeMap<>();
  private CodeTables codes;
  private LocalDateTime codesChangedAt;
  private final LocalDateTime itemClassesChangedAt;
  private final List<Notice> notices = new ArrayList<>();
  private LocalDateTime lastServed;
  private long deviceCount;

  EtimsLedger(EtimsSimulator.Options options) {
    this.options = options;
    this.seed = options.seed().getBytes(StandardCharsets.UTF_8);
    this.codes = new CodeTables(options.taxRates(), options.paymentCodes());
    LocalDateTime start = now().minusSeconds(1);
    this.codesChangedAt = start;
    this.itemClassesChangedAt = start;
    this.lastServed = start;
  }

  // ---------------------------------------------------------------- set-up and inspection (simulator API)

  synchronized DeviceInfo declareDevice(String tin, String bhfId, String serial) {
    requireShape(tin, 11, "tin");
    requireShape(bhfId, 2, "bhfId");
    if (serial == null || serial.isBlank() || serial.length() > 100) {
      throw new IllegalArgumentException("dvcSrlNo must be 1..100 characters, was " + serial);
    }
    Branch b = branchOrCreate(tin, bhfId);
    Device d = b.devices.get(serial);
    if (d == null) {
      for (Taxpayer t : taxpayers.values()) {
        for (Branch other : t.branches.values()) {
          if (other != b && other.devices.containsKey(serial)) {
            throw new IllegalArgumentException("serial " + serial + " is already declared for " + t.tin + "/"
                + other.bhfId);
          }
        }
      }
      d = newDevice(tin, bhfId, serial);
      b.devices.put(serial, d);
    }
    return view(b, d);
  }

  synchronized DeviceInfo initialiseDirectly(String tin, String bhfId, String serial) {
    declareDevice(tin, bhfId, serial);
    Device d = branch(tin, bhfId).devices.get(serial);
    d.initialised = true;
    return view(branch(tin, bhfId), d);
  }

  synchronized void nameTaxpayer(String tin, String name) {
    requireShape(tin, 11, "tin");
    taxpayers.computeIfAbsent(tin, t -> new Taxpayer(t, "Taxpayer " + t)).name = name;
  }

  synchronized void setTaxRate(String band, BigDecimal rate) {
    if (!BANDS.contains(band)) {
      throw new IllegalArgumentException("band must be one of " + BANDS + ", was " + band);
    }
    Map<String, BigDecimal> rates = new LinkedHashMap<>(codes.rates());
    rates.put(band, rate);
    codes = new CodeTables(rates, options.paymentCodes());
    codesChangedAt = changeTime();
  }

  synchronized void addNotice(String title, String content) {
    notices.add(new Notice(notices.size() + 1, title, content, changeTime()));
  }

  synchronized BranchSnapshot snapshot(String tin, String bhfId) {
    Taxpayer t = taxpayers.get(tin);
    Branch b = t == null ? null : t.branches.get(bhfId);
    if (b == null) {
      return new BranchSnapshot(tin, bhfId, 0, List.of(), Map.of(), 0, List.of(), Map.of(), Map.of(), 0, List.of());
    }
    List<DeviceInfo> devices = b.devices.values().stream().map(d -> view(b, d)).toList();
    return new BranchSnapshot(tin, bhfId, b.lastInvcNo, List.copyOf(b.invoices), Map.copyOf(b.items),
        b.lastSarNo, List.copyOf(b.moves), Map.copyOf(b.stock), Map.copyOf(b.stockMaster),
        b.lastPurchaseInvcNo, devices);
  }

  synchronized Map<String, BigDecimal> taxRates() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(codes.rates()));
  }

  // ---------------------------------------------------------------- dispatch

  synchronized Outcome handle(Call call) {
    ObjectNode body = call.body();
    String tin = identity(call, "tin", "tin");
    String bhfId = identity(call, "bhfId", "bhfid");
    Taxpayer t = taxpayers.get(tin);
    Branch b = t == null ? null : t.branches.get(bhfId);
    if (b == null) {
      throw EtimsRejection.code("901");
    }
    if (call.endpoint() == EtimsEndpoint.INIT) {
      return done(initialise(b, text(body, "dvcSrlNo")), tin, bhfId);
    }
    Device device = device(call, b);
    switch (call.endpoint()) {
      case CODE_LIST:
        return listed(since(body).isBefore(codesChangedAt) ? "clsList" : null, codes.clsList(F), tin, bhfId);
      case ITEM_CLASS_LIST:
        return listed(since(body).isBefore(itemClassesChangedAt) ? "itemClsList" : null, itemClassList(), tin,
            bhfId);
      case CUSTOMER:
        return customer(body, tin, bhfId);
      case BRANCH_LIST:
        return branchList(t, since(body), tin, bhfId);
      case NOTICE_LIST:
        return noticeList(since(body), tin, bhfId);
      case SAVE_BRANCH_CUSTOMER:
        requireAll(body, "custNo", "custTin", "custNm");
        requireRegistrant(body);
        b.customers.put(text(body, "custNo"), body.deepCopy());
        return done(null, tin, bhfId);
      case SAVE_BRANCH_USER:
        requireAll(body, "userId", "userNm");
        requireRegistrant(body);
        b.users.put(text(body, "userId"), body.deepCopy());
        return done(null, tin, bhfId);
      case SAVE_BRANCH_INSURANCE:
        requireAll(body, "isrccCd", "isrccNm");
        requireRegistrant(body);
        b.insurances.put(text(body, "isrccCd"), body.deepCopy());
        return done(null, tin, bhfId);
      case ITEM_LIST:
        return itemList(b, since(body), tin, bhfId);
      case SAVE_ITEM:
        saveItem(t, b, body);
        return done(null, tin, bhfId);
      case SAVE_ITEM_COMPOSITION:
        requireAll(body, "itemCd", "cpstItemCd");
        registered(b, text(body, "itemCd"));
        registered(b, text(body, "cpstItemCd"));
        positive(body, "cpstQty", "cpstQty");
        return done(null, tin, bhfId);
      case IMPORT_ITEM_LIST:
      case PURCHASE_SALES_LIST:
      case STOCK_MOVE_LIST:
        since(body);
        return new Outcome(ResultCodes.NO_DATA, ResultCodes.text(ResultCodes.NO_DATA), null, null, tin, bhfId);
      case UPDATE_IMPORT_ITEM:
        // sheet §15.3: approving an import (status 3) without a remark fails with 999
        if ("3".equals(text(body, "imptItemSttsCd")) && blank(text(body, "remark"))) {
          throw EtimsRejection.code("999");
        }
        return done(null, tin, bhfId);
      case SAVE_SALE:
        AcceptedInvoice inv = sale(call, b, device);
        return new Outcome(ResultCodes.OK, options.successMessage(), null, inv, tin, bhfId);
      case SAVE_INVOICE:
        if (b.invoice(integer(body, "invcNo")) == null) {
          throw EtimsRejection.code("922");
        }
        return done(null, tin, bhfId);
      case SAVE_PURCHASE:
        purchase(b, body);
        return done(null, tin, bhfId);
      case SAVE_STOCK_IO:
        stockIo(b, body, call.rawBody());
        return done(null, tin, bhfId);
      case SAVE_STOCK_MASTER:
        stockMaster(b, body);
        return done(null, tin, bhfId);
      case INVOICE_DETAILS:
        return invoiceDetails(b, integer(body, "invcNo"), tin, bhfId);
      case SALES_LIST:
        return salesList(b, since(body), tin, bhfId);
      case CUSTOMER_LIST:
        return customerList(b, tin, bhfId);
      case TAXPAYER_INFO:
        return done(F.objectNode().set("info", taxpayerInfo(b, null)), tin, bhfId);
      default:
        throw EtimsRejection.code("912");
    }
  }

  private String identity(Call call, String field, String header) {
    String fromHeader = call.headers().get(header.toLowerCase());
    String fromBody = text(call.body(), field);
    if (!blank(fromHeader) && !blank(fromBody) && !fromHeader.equals(fromBody)) {
      throw EtimsRejection.invalid("Request parameter error[" + field + " : header " + fromHeader
          + " and body " + fromBody + " disagree]");
    }
    String v = blank(fromHeader) ? fromBody : fromHeader;
    if (blank(v)) {
      // sheet §1.3 / §17.5: the gateway says "tin cannot be Null", the legacy host 900
      if (call.transport() == Transport.GATEWAY) {
        throw EtimsRejection.invalid(field + " cannot be Null");
      }
      throw EtimsRejection.code("900");
    }
    return v;
  }

  private Device device(Call call, Branch b) {
    String key = call.headers().get("cmckey");
    if (blank(key)) {
      key = text(call.body(), "cmcKey");
    }
    if (blank(key)) {
      if (options.requireCmcKey()) {
        throw EtimsRejection.code("900");
      }
      return b.devices.values().stream().filter(d -> d.initialised).findFirst()
          .orElseThrow(() -> EtimsRejection.code("901"));
    }
    for (Device d : b.devices.values()) {
      if (d.initialised && MessageDigest.isEqual(d.cmcKey.getBytes(StandardCharsets.UTF_8),
          key.getBytes(StandardCharsets.UTF_8))) {
        return d;
      }
    }
    throw EtimsRejection.code("901");
  }

  // ---------------------------------------------------------------- §4 initialisation

  private JsonNode initialise(Branch b, String serial) {
    if (blank(serial)) {
      throw EtimsRejection.invalid("Request parameter error[dvcSrlNo : may not be empty]");
    }
    Device d = b.devices.get(serial);
    if (d == null && options.acceptAnySerial()) {
      d = newDevice(b.taxpayer.tin, b.bhfId, serial);
      b.devices.put(serial, d);
    }
    if (d == null) {
      throw EtimsRejection.code("901"); // not declared on the portal for this PIN/branch
    }
    if (d.initialised) {
      throw EtimsRejection.code("902"); // sheet §4: a second init does not return the old key
    }
    d.initialised = true;
    return F.objectNode().set("info", taxpayerInfo(b, d));
  }

  private ObjectNode taxpayerInfo(Branch b, Device d) {
    ObjectNode info = F.objectNode();
    info.put("tin", b.taxpayer.tin).put("taxprNm", b.taxpayer.name).put("bsnsActv", "Retail trade")
        .put("bhfId", b.bhfId).put("bhfNm", b.name)
        .put("bhfOpenDt", b.changedAt.format(D8)).put("prvncNm", "NAIROBI CITY").put("dstrtNm", "WESTLANDS")
        .put("sctrNm", "PARKLANDS").put("locDesc", "Simulated premises").put("hqYn", b.bhfId.equals("00") ? "Y" : "N")
        .put("mgrNm", "Manager " + b.bhfId).put("mgrTelNo", "0700000000").put("mgrEmail", "manager@example.com");
    if (d != null) {
      info.put("dvcId", d.dvcId).put("sdcId", d.sdcId).put("mrcNo", d.mrcNo).put("cmcKey", d.cmcKey);
    }
    return info;
  }

  // ---------------------------------------------------------------- lists (lastReqDt, 001 = no new data)

  private LocalDateTime since(ObjectNode body) {
    String s = text(body, "lastReqDt");
    if (blank(s)) {
      throw EtimsRejection.invalid("Request parameter error[lastReqDt : may not be empty]");
    }
    return dateTime(s, "lastReqDt");
  }

  private Outcome listed(String key, JsonNode list, String tin, String bhfId) {
    if (key == null || list.isEmpty()) {
      return new Outcome(ResultCodes.NO_DATA, ResultCodes.text(ResultCodes.NO_DATA), null, null, tin, bhfId);
    }
    return done(F.objectNode().set(key, list), tin, bhfId);
  }

  private ArrayNode itemClassList() {
    ArrayNode list = F.arrayNode();
    for (String[] c : CodeTables.itemClasses()) {
      list.addObject().put("itemClsCd", c[0]).put("itemClsNm", c[1]).put("itemClsLvl", Integer.parseInt(c[2]))
          .put("taxTyCd", c[3]).put("mjrTgYn", "N").put("useYn", "Y");
    }
    return list;
  }

  private Outcome customer(ObjectNode body, String tin, String bhfId) {
    String custmTin = text(body, "custmTin");
    if (blank(custmTin)) {
      throw EtimsRejection.invalid("Request parameter error[custmTin : may not be empty]");
    }
    Taxpayer c = taxpayers.get(custmTin);
    ArrayNode list = F.arrayNode();
    if (c != null) {
      list.addObject().put("tin", c.tin).put("taxprNm", c.name).put("taxprSttsCd", "A")
          .put("prvncNm", "NAIROBI CITY").put("dstrtNm", "WESTLANDS").put("sctrNm", "PARKLANDS")
          .put("locDesc", "Simulated premises");
    }
    return listed("custList", list, tin, bhfId);
  }

  private Outcome branchList(Taxpayer t, LocalDateTime since, String tin, String bhfId) {
    ArrayNode list = F.arrayNode();
    for (Branch x : t.branches.values()) {
      if (since.isBefore(x.changedAt)) {
        list.addObject().put("tin", t.tin).put("bhfId", x.bhfId).put("bhfNm", x.name).put("bhfSttsCd", "01")
            .put("prvncNm", "NAIROBI CITY").put("dstrtNm", "WESTLANDS").put("sctrNm", "PARKLANDS")
            .put("locDesc", "Simulated premises").put("mgrNm", "Manager " + x.bhfId)
            .put("mgrTelNo", "0700000000").put("mgrEmail", "manager@example.com")
            .put("hqYn", x.bhfId.equals("00") ? "Y" : "N");
      }
    }
    return listed("bhfList", list, tin, bhfId);
  }

  private Outcome noticeList(LocalDateTime since, String tin, String bhfId) {
    ArrayNode list = F.arrayNode();
    for (Notice n : notices) {
      if (since.isBefore(n.at)) {
        list.addObject().put("noticeNo", n.noticeNo).put("title", n.title).put("cont", n.cont)
            .put("dtlUrl", "https://etims.kra.go.ke/notice/" + n.noticeNo).put("regrNm", "KRA")
            .put("regDt", n.at.format(DT14));
      }
    }
    return listed("noticeList", list, tin, bhfId);
  }

  private Outcome itemList(Branch b, LocalDateTime since, String tin, String bhfId) {
    ArrayNode list = F.arrayNode();
    for (RegisteredItem i : b.items.values()) {
      if (since.isBefore(b.itemChangedAt.get(i.itemCd()))) {
        ObjectNode n = list.addObject();
        n.put("tin", tin).put("itemCd", i.itemCd()).put("itemClsCd", i.itemClsCd()).put("itemTyCd", i.itemTyCd())
            .put("itemNm", i.itemNm()).put("orgnNatCd", i.orgnNatCd()).put("pkgUnitCd", i.pkgUnitCd())
            .put("qtyUnitCd", i.qtyUnitCd()).put("taxTyCd", i.taxTyCd()).put("dftPrc", i.dftPrc())
            .put("useYn", i.useYn());
      }
    }
    return listed("itemList", list, tin, bhfId);
  }

  private Outcome salesList(Branch b, LocalDateTime since, String tin, String bhfId) {
    ArrayNode list = F.arrayNode();
    for (AcceptedInvoice i : b.invoices) {
      if (since.isBefore(LocalDateTime.parse(i.sdcDateTime(), DT14))) {
        list.add(lookupView(i));
      }
    }
    return listed("salesList", list, tin, bhfId);
  }

  private Outcome customerList(Branch b, String tin, String bhfId) {
    ArrayNode list = F.arrayNode();
    b.customers.values().forEach(list::add);
    return listed("custList", list, tin, bhfId);
  }

  // ---------------------------------------------------------------- §13 invoice lookup

  private Outcome invoiceDetails(Branch b, long invcNo, String tin, String bhfId) {
    AcceptedInvoice i = b.invoice(invcNo);
    if (i == null) {
      return new Outcome(ResultCodes.NO_DATA, ResultCodes.text(ResultCodes.NO_DATA), null, null, tin, bhfId);
    }
    ArrayNode list = F.arrayNode().add(lookupView(i));
    return done(F.objectNode().set("salesList", list), tin, bhfId);
  }

  /** A document as lookups show it: counters as strings, dates as {@code yyyy-MM-dd HH:mm:ss.S} (sheet §8, §2). */
  private ObjectNode lookupView(AcceptedInvoice i) {
    ObjectNode n = F.objectNode();
    n.put("tin", i.tin()).put("bhfId", i.bhfId()).put("invcNo", i.invcNo()).put("orgInvcNo", i.orgInvcNo())
        .put("trdInvcNo", i.trdInvcNo()).put("custTin", i.custTin()).put("custNm", i.custNm())
        .put("salesTyCd", i.salesTyCd()).put("rcptTyCd", i.rcptTyCd()).put("pmtTyCd", i.pmtTyCd())
        .put("salesSttsCd", "02").put("cfmDt", lookupDate(i.cfmDt())).put("salesDt", i.salesDt())
        .put("rfdDt", i.rfdDt() == null ? null : lookupDate(i.rfdDt())).put("rfdRsnCd", i.rfdRsnCd())
        .put("totItemCnt", i.items().size());
    for (String x : BANDS) {
      n.put("taxblAmt" + x, i.taxblAmt().get(x)).put("taxRt" + x, i.taxRt().get(x)).put("taxAmt" + x,
          i.taxAmt().get(x));
    }
    n.put("totTaxblAmt", i.totTaxblAmt()).put("totTaxAmt", i.totTaxAmt()).put("totAmt", i.totAmt());
    n.putObject("receipt").put("curRcptNo", String.valueOf(i.curRcptNo()))
        .put("totRcptNo", String.valueOf(i.totRcptNo())).put("intrlData", i.intrlData())
        .put("rcptSign", i.rcptSign()).put("sdcDateTime", lookupDate(i.sdcDateTime()) + ".0")
        .put("sdcId", i.sdcId()).put("mrcNo", i.mrcNo());
    ArrayNode items = n.putArray("itemList");
    for (InvoiceLine l : i.items()) {
      items.addObject().put("itemSeq", l.itemSeq()).put("itemCd", l.itemCd()).put("itemClsCd", l.itemClsCd())
          .put("itemNm", l.itemNm()).put("qty", l.qty()).put("prc", l.prc()).put("splyAmt", l.splyAmt())
          .put("dcAmt", l.dcAmt()).put("taxTyCd", l.taxTyCd()).put("taxblAmt", l.taxblAmt())
          .put("taxAmt", l.taxAmt()).put("totAmt", l.totAmt());
    }
    return n;
  }

  // ---------------------------------------------------------------- §3 items

  private void saveItem(Taxpayer t, Branch b, ObjectNode body) {
    requireAll(body, "itemCd", "itemClsCd", "itemTyCd", "itemNm", "orgnNatCd", "pkgUnitCd", "qtyUnitCd",
        "taxTyCd");
    String itemCd = text(body, "itemCd");
    String itemTyCd = text(body, "itemTyCd");
    String orgn = text(body, "orgnNatCd");
    String pkg = text(body, "pkgUnitCd");
    String qtyUnit = text(body, "qtyUnitCd");
    String taxTyCd = text(body, "taxTyCd");
    if (!codes.has("24", itemTyCd)) {
      throw EtimsRejection.invalid("Invalid itemTyCd: " + itemTyCd);
    }
    if (codes.rate(taxTyCd) == null) {
      throw EtimsRejection.invalid("Invalid taxTyCd: " + taxTyCd);
    }
    // sheet §3: itemCd = orgnNatCd(2) + itemTyCd(1) + pkgUnitCd(2) + qtyUnitCd(2) + seq(7)
    if (qtyUnit.length() != 2) {
      throw EtimsRejection.invalid("Incorrect QtyUnitCd Prefix");
    }
    if (pkg.length() != 2) {
      throw EtimsRejection.invalid("Incorrect PkgUnitCd Prefix");
    }
    if (itemCd.length() != 14) {
      throw EtimsRejection.invalid("Invalid itemCd: " + itemCd + " must be 14 characters long");
    }
    if (!itemCd.startsWith(orgn)) {
      throw EtimsRejection.invalid("The ItemCd isn't made up of correct OrgnNatCd");
    }
    if (itemCd.charAt(2) != itemTyCd.charAt(0)) {
      throw EtimsRejection.invalid("The ItemCd isn't made up of correct ItemTyCd");
    }
    if (!itemCd.substring(3, 5).equals(pkg)) {
      throw EtimsRejection.invalid("The ItemCd isn't made up of correct PkgUnitCd");
    }
    if (!itemCd.substring(5, 7).equals(qtyUnit)) {
      throw EtimsRejection.invalid("The ItemCd isn't made up of correct QtyUnitCd");
    }
    String seqPart = itemCd.substring(7);
    if (!seqPart.chars().allMatch(Character::isDigit)) {
      throw EtimsRejection.invalid(itemSeqMessage(t.lastItemSeq + 1));
    }
    if (!t.knownItemCds.containsKey(itemCd)) {
      long seq = Long.parseLong(seqPart);
      // sheet §3: the 7-digit sequence increases strictly (by one) per PIN
      if (seq != t.lastItemSeq + 1) {
        throw EtimsRejection.invalid(itemSeqMessage(t.lastItemSeq + 1));
      }
      t.lastItemSeq = seq;
      t.knownItemCds.put(itemCd, Boolean.TRUE);
    }
    BigDecimal dftPrc = body.hasNonNull("dftPrc") ? number(body, "dftPrc", "dftPrc") : BigDecimal.ZERO;
    String useYn = blank(text(body, "useYn")) ? "Y" : text(body, "useYn");
    b.items.put(itemCd, new RegisteredItem(itemCd, text(body, "itemClsCd"), itemTyCd, text(body, "itemNm"), orgn,
        pkg, qtyUnit, taxTyCd, dftPrc, useYn));
    b.itemChangedAt.put(itemCd, changeTime());
  }

  private static String itemSeqMessage(long expected) {
    return "Invalid itemCd Sequence. Expected sequence ending with: *******" + String.format("%07d", expected);
  }

  private RegisteredItem registered(Branch b, String itemCd) {
    RegisteredItem item = itemCd == null ? null : b.items.get(itemCd);
    if (item == null) {
      // sheet §14: items are registered with saveItem before they appear on a sale, purchase or stock move
      throw EtimsRejection.invalid("Item " + itemCd + " does not exist in your inventory");
    }
    return item;
  }

  // ---------------------------------------------------------------- §5, §6, §13, §15.1 the sale

  private AcceptedInvoice sale(Call call, Branch b, Device device) {
    ObjectNode body = call.body();
    long invcNo = integer(body, "invcNo");
    String trdInvcNo = required(body, "trdInvcNo");
    String rcptTyCd = required(body, "rcptTyCd");
    if (!codes.has("37", rcptTyCd)) {
      throw EtimsRejection.invalid("Invalid rcptTyCd: " + rcptTyCd);
    }
    String salesTyCd = blank(text(body, "salesTyCd")) ? "N" : text(body, "salesTyCd");
    if (!salesTyCd.equals("N")) {
      // copies, training and proforma receipts are local documents (sheet §7 labels); KRA receives normal sales
      throw EtimsRejection.invalid("Invalid salesTyCd: " + salesTyCd + ". Only N (Normal) sales are received");
    }
    // sheet §13: strictly consecutive per PIN + branch; a replay of an accepted document is 994
    long expected = b.lastInvcNo + 1;
    if (invcNo != expected) {
      AcceptedInvoice prior = b.invoice(invcNo);
      if (prior != null && prior.trdInvcNo().equals(trdInvcNo)) {
        throw EtimsRejection.code("994");
      }
      throw EtimsRejection.invalid(options.sequenceMessage() == SequenceMessage.EXPECTED_FOUND
          ? "Invalid invcNo sequence, expected: " + expected + " but found: " + invcNo
          : "Invc No: " + invcNo + " is invalid, use the expected value: " + expected);
    }
    if (options.rejectDuplicateTrdInvcNo() && b.trdInvcNos.containsKey(trdInvcNo)) {
      throw EtimsRejection.code("994"); // this trader invoice was already accepted under another invcNo
    }
    long orgInvcNo = integer(body, "orgInvcNo");
    boolean credit = rcptTyCd.equals("R");
    if (!credit && orgInvcNo != 0) {
      throw EtimsRejection.invalid("Request parameter error[orgInvcNo : must be 0 for a sale, found "
          + orgInvcNo + "]");
    }
    String salesSttsCd = required(body, "salesSttsCd");
    if (!codes.has("11", salesSttsCd)) {
      throw EtimsRejection.invalid("Invalid salesSttsCd: " + salesSttsCd);
    }
    String cfmDt = required(body, "cfmDt");
    dateTime(cfmDt, "cfmDt");
    String salesDt = required(body, "salesDt");
    date(salesDt, "salesDt");
    String pmtTyCd = text(body, "pmtTyCd");
    if (!blank(pmtTyCd) && !codes.has("07", pmtTyCd)) {
      throw EtimsRejection.invalid("Invalid pmtTyCd: " + pmtTyCd);
    }
    String custTin = text(body, "custTin");
    if (!blank(custTin) && custTin.length() != 11) {
      throw EtimsRejection.invalid("Invalid custTin: " + custTin);
    }
    requireRegistrant(body);
    JsonNode receipt = body.get("receipt");
    if (receipt == null || !receipt.isObject()) {
      throw EtimsRejection.invalid("Request parameter error[receipt : may not be null]");
    }
    dateTime(required((ObjectNode) receipt, "rcptPbctDt"), "rcptPbctDt");
    String accepted = required((ObjectNode) receipt, "prchrAcptcYn");
    if (!accepted.equals("Y") && !accepted.equals("N")) {
      throw EtimsRejection.invalid("Invalid prchrAcptcYn: " + accepted);
    }

    JsonNode list = body.get("itemList");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw EtimsRejection.invalid("Request parameter error[itemList : may not be empty]");
    }
    long totItemCnt = integer(body, "totItemCnt");
    if (totItemCnt != list.size()) {
      throw EtimsRejection.invalid("Invalid totItemCnt. Expected: " + list.size() + ", But Found: " + totItemCnt);
    }

    List<InvoiceLine> lines = new ArrayList<>();
    Map<String, BigDecimal> bandTaxbl = zeros();
    Map<String, BigDecimal> bandTax = zeros();
    BigDecimal lineTotal = BigDecimal.ZERO;
    int n = 0;
    for (JsonNode node : list) {
      n++;
      if (!node.isObject()) {
        throw EtimsRejection.invalid("Request parameter error[itemList[" + (n - 1) + "] : must be an object]");
      }
      InvoiceLine line = saleLine(b, (ObjectNode) node, n);
      lines.add(line);
      bandTaxbl.merge(line.taxTyCd(), line.taxblAmt(), BigDecimal::add);
      bandTax.merge(line.taxTyCd(), line.taxAmt(), BigDecimal::add);
      lineTotal = lineTotal.add(line.totAmt());
    }

    // sheet §6.1: all 15 band fields, rates from class 04, bands summed from rounded lines
    Map<String, BigDecimal> sentTaxbl = new LinkedHashMap<>();
    Map<String, BigDecimal> sentRt = new LinkedHashMap<>();
    Map<String, BigDecimal> sentTax = new LinkedHashMap<>();
    for (String x : BANDS) {
      sentTaxbl.put(x, number(body, "taxblAmt" + x, "taxblAmt" + x));
      sentRt.put(x, number(body, "taxRt" + x, "taxRt" + x));
      sentTax.put(x, number(body, "taxAmt" + x, "taxAmt" + x));
    }
    for (String x : BANDS) {
      BigDecimal rate = codes.rate(x);
      if (sentRt.get(x).compareTo(rate) != 0) {
        throw EtimsRejection.invalid("Rule taxRt" + x + " failed: Tax rate mismatch. Expected: " + two(rate)
            + ", Found: " + body.get("taxRt" + x).asText());
      }
      compare("taxblAmt" + x, bandTaxbl.get(x), sentTaxbl.get(x));
      compare("taxAmt" + x, bandTax.get(x), sentTax.get(x));
    }
    BigDecimal totTaxbl = number(body, "totTaxblAmt", "totTaxblAmt");
    BigDecimal totTax = number(body, "totTaxAmt", "totTaxAmt");
    BigDecimal totAmt = number(body, "totAmt", "totAmt");
    compare("totTaxblAmt", sum(bandTaxbl), totTaxbl);
    compare("totTaxAmt", sum(bandTax), totTax);
    compare("totAmt", lineTotal, totAmt);

    String rfdDt = text(body, "rfdDt");
    String rfdRsnCd = text(body, "rfdRsnCd");
    if (credit) {
      creditNoteRules(b, body, orgInvcNo, custTin, salesDt, rfdDt, rfdRsnCd, lines, totAmt);
    }

    // accepted: the counter advances only now (sheet §13)
    b.lastInvcNo = invcNo;
    long curRcptNo = b.rcptCounters.merge(rcptTyCd, 1L, Long::sum);
    long totRcptNo = ++b.totRcptNo;
    String sdcDateTime = stamp();
    String material = String.join("|", b.taxpayer.tin, b.bhfId, Long.toString(invcNo), rcptTyCd,
        Long.toString(curRcptNo), Long.toString(totRcptNo), two(totAmt), two(totTax), sdcDateTime, device.sdcId);
    byte[] key = branchKey(b);
    String intrlData = base32(hmac(key, "intrlData|" + material)).substring(0, 26);
    String rcptSign = base32(hmac(key, "rcptSign|" + material)).substring(0, 16);
    AcceptedInvoice inv = new AcceptedInvoice(b.taxpayer.tin, b.bhfId, invcNo, orgInvcNo, trdInvcNo, rcptTyCd,
        salesTyCd, blank(pmtTyCd) ? null : pmtTyCd, blank(custTin) ? null : custTin, text(body, "custNm"),
        salesDt, cfmDt, credit ? rfdDt : null, credit ? rfdRsnCd : null, List.copyOf(lines),
        Map.copyOf(sentTaxbl), Map.copyOf(sentRt), Map.copyOf(sentTax), totTaxbl, totTax, totAmt, curRcptNo,
        totRcptNo, intrlData, rcptSign, sdcDateTime, device.sdcId, device.mrcNo, call.transport(),
        call.rawBody());
    b.invoices.add(inv);
    b.trdInvcNos.put(trdInvcNo, invcNo);
    return inv;
  }

  private InvoiceLine saleLine(Branch b, ObjectNode line, int n) {
    String at = "itemList[" + (n - 1) + "].";
    long itemSeq = integer(line, "itemSeq", at + "itemSeq");
    if (itemSeq != n) {
      throw EtimsRejection.invalid("Invalid itemSeq on item: " + n + ". Expected: " + n + ", But Found: " + itemSeq);
    }
    String itemCd = required(line, "itemCd", at + "itemCd");
    String itemClsCd = required(line, "itemClsCd", at + "itemClsCd");
    String itemNm = required(line, "itemNm", at + "itemNm");
    required(line, "pkgUnitCd", at + "pkgUnitCd");
    required(line, "qtyUnitCd", at + "qtyUnitCd");
    String taxTyCd = required(line, "taxTyCd", at + "taxTyCd");
    BigDecimal rate = codes.rate(taxTyCd);
    if (rate == null) {
      throw EtimsRejection.invalid("Invalid taxTyCd on item: " + n + ". Found: " + taxTyCd);
    }
    RegisteredItem item = registered(b, itemCd);
    if (options.requireStockForGoods() && item.goods() && !b.stock.containsKey(itemCd)) {
      // sheet §14, verbatim
      throw EtimsRejection.invalid("Items provided under the itemList section do not exist in your stock. "
          + "Consider adding them under Stock Information Management package to proceed.");
    }
    BigDecimal qty = nonNegative(line, "qty", at, n);
    BigDecimal pkg = nonNegative(line, "pkg", at, n);
    if (pkg.signum() == 0) {
      BigDecimal expectedPkg = qty.setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE);
      throw EtimsRejection.invalid("Invalid pkg for ItemList " + n + ". Expected: " + expectedPkg.toPlainString()
          + ", Found: " + line.get("pkg").asText());
    }
    if (qty.signum() == 0) {
      throw EtimsRejection.invalid("Invalid qty on item: " + n + ". Quantity must be greater than zero");
    }
    BigDecimal prc = nonNegative(line, "prc", at, n);
    BigDecimal splyAmt = nonNegative(line, "splyAmt", at, n);
    BigDecimal dcAmt = line.hasNonNull("dcAmt") ? nonNegative(line, "dcAmt", at, n) : BigDecimal.ZERO;
    BigDecimal taxblAmt = nonNegative(line, "taxblAmt", at, n);
    BigDecimal taxAmt = nonNegative(line, "taxAmt", at, n);
    BigDecimal totAmt = nonNegative(line, "totAmt", at, n);
    // sheet §6.1: splyAmt = qty × prc (inclusive price), taxblAmt = round2(net / (1 + rate)), taxAmt = net − taxblAmt
    BigDecimal expSply = round2(qty.multiply(prc));
    if (expSply.compareTo(splyAmt) != 0) {
      throw EtimsRejection.invalid("Invalid splyAmnt on item: " + n + ". Expected: " + two(expSply)
          + ", But Found: " + shown(splyAmt));
    }
    if (dcAmt.compareTo(splyAmt) > 0) {
      throw EtimsRejection.invalid("Invalid dcAmt on item: " + n + ". Discount " + shown(dcAmt)
          + " is more than splyAmt " + shown(splyAmt));
    }
    BigDecimal net = splyAmt.subtract(dcAmt);
    BigDecimal expTaxbl = net.multiply(HUNDRED).divide(HUNDRED.add(rate), 2, RoundingMode.HALF_UP);
    if (expTaxbl.compareTo(taxblAmt) != 0) {
      throw EtimsRejection.invalid("Invalid taxblAmt on item: " + n + ". Expected: " + two(expTaxbl)
          + ", But Found: " + shown(taxblAmt));
    }
    BigDecimal expTax = net.subtract(expTaxbl);
    if (expTax.compareTo(taxAmt) != 0) {
      throw EtimsRejection.invalid("Invalid taxAmt on item: " + n + ". Expected: " + two(expTax)
          + ", But Found: " + shown(taxAmt));
    }
    BigDecimal expTot = expTaxbl.add(expTax);
    if (expTot.compareTo(totAmt) != 0) {
      throw EtimsRejection.invalid("Invalid totAmt on item: " + n + ". Expected: " + two(expTot)
          + ", But Found: " + shown(totAmt));
    }
    return new InvoiceLine(n, itemCd, itemClsCd, itemNm, qty, prc, splyAmt, dcAmt, taxTyCd, taxblAmt, taxAmt,
        totAmt);
  }

  /** Sheet §15.1: original exists and is a sale, same buyer PIN, not more than the original, not dated before. */
  private void creditNoteRules(Branch b, ObjectNode body, long orgInvcNo, String custTin, String salesDt,
      String rfdDt, String rfdRsnCd, List<InvoiceLine> lines, BigDecimal totAmt) {
    AcceptedInvoice org = b.invoice(orgInvcNo);
    if (org == null || !org.rcptTyCd().equals("S")) {
      throw EtimsRejection.invalid("orgInvcNo does not exist: " + orgInvcNo);
    }
    if (blank(rfdDt)) {
      throw EtimsRejection.invalid("Missing RfdDt Date");
    }
    LocalDateTime refund = dateTime(rfdDt, "rfdDt");
    if (blank(rfdRsnCd) || !codes.has("32", rfdRsnCd)) {
      throw EtimsRejection.invalid("Invalid RfdRsnCd");
    }
    String want = org.custTin() == null ? "" : org.custTin();
    String have = blank(custTin) ? "" : custTin;
    if (!want.equals(have)) {
      throw EtimsRejection.invalid("Invalid custTin for credit note: it must match the original invoice "
          + orgInvcNo + ". Expected: " + (want.isEmpty() ? "(none)" : want) + ", Found: "
          + (have.isEmpty() ? "(none)" : have));
    }
    LocalDate original = LocalDate.parse(org.salesDt(), D8);
    if (LocalDate.parse(salesDt, D8).isBefore(original) || refund.toLocalDate().isBefore(original)) {
      throw EtimsRejection.invalid("Credit note date cannot be earlier than the original invoice date "
          + org.salesDt() + " of invoice " + orgInvcNo);
    }
    Map<String, BigDecimal> allowed = new HashMap<>();
    for (InvoiceLine l : org.items()) {
      allowed.merge(l.itemCd(), l.qty(), BigDecimal::add);
    }
    BigDecimal allowedTotal = org.totAmt();
    if (options.checkCumulativeCredits()) {
      for (AcceptedInvoice other : b.invoices) {
        if (other.rcptTyCd().equals("R") && other.orgInvcNo() == orgInvcNo) {
          other.items().forEach(l -> allowed.merge(l.itemCd(), l.qty().negate(), BigDecimal::add));
          allowedTotal = allowedTotal.subtract(other.totAmt());
        }
      }
    }
    Map<String, BigDecimal> credited = new LinkedHashMap<>();
    lines.forEach(l -> credited.merge(l.itemCd(), l.qty(), BigDecimal::add));
    for (Map.Entry<String, BigDecimal> e : credited.entrySet()) {
      BigDecimal max = allowed.get(e.getKey());
      if (max == null) {
        throw EtimsRejection.invalid("Item " + e.getKey() + " does not exist on the original invoice "
            + orgInvcNo);
      }
      if (e.getValue().compareTo(max) > 0) {
        throw EtimsRejection.invalid("Invalid qty for item " + e.getKey() + ": credit note quantity "
            + e.getValue().toPlainString() + " exceeds the original invoice quantity " + max.toPlainString());
      }
    }
    if (totAmt.compareTo(allowedTotal) > 0) {
      throw EtimsRejection.invalid("Invalid totAmt: credit note amount " + two(totAmt)
          + " exceeds the original invoice amount " + two(allowedTotal));
    }
  }

  // ---------------------------------------------------------------- purchases (own invcNo sequence, sheet §13)

  private void purchase(Branch b, ObjectNode body) {
    long invcNo = integer(body, "invcNo");
    long expected = b.lastPurchaseInvcNo + 1;
    if (invcNo != expected) {
      throw EtimsRejection.invalid("Invalid invcNo sequence, expected: " + expected + " but found: " + invcNo);
    }
    JsonNode list = body.get("itemList");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw EtimsRejection.invalid("Request parameter error[itemList : may not be empty]");
    }
    for (JsonNode line : list) {
      registered(b, line.path("itemCd").asText(null));
    }
    b.lastPurchaseInvcNo = invcNo;
  }

  // ---------------------------------------------------------------- §14, §16 stock

  private void stockIo(Branch b, ObjectNode body, String raw) {
    long sarNo = integer(body, "sarNo");
    if (!body.hasNonNull("orgSarNo")) {
      throw EtimsRejection.invalid("Request parameter error[orgSarNo : may not be null]");
    }
    long orgSarNo = integer(body, "orgSarNo");
    long expected = b.lastSarNo + 1;
    if (sarNo != expected) {
      throw EtimsRejection.invalid("Invalid sarNo: Expected: " + expected + " but found: " + sarNo);
    }
    String sarTyCd = required(body, "sarTyCd");
    if (!codes.has("12", sarTyCd)) {
      throw EtimsRejection.invalid("Invalid sarTyCd: " + sarTyCd);
    }
    String regTyCd = required(body, "regTyCd");
    if (!codes.has("31", regTyCd)) {
      throw EtimsRejection.invalid("Invalid regTyCd: " + regTyCd);
    }
    String ocrnDt = required(body, "ocrnDt");
    date(ocrnDt, "ocrnDt");
    JsonNode list = body.get("itemList");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw EtimsRejection.invalid("Request parameter error[itemList : may not be empty]");
    }
    long totItemCnt = integer(body, "totItemCnt");
    if (totItemCnt != list.size()) {
      throw EtimsRejection.invalid("Invalid totItemCnt. Expected: " + list.size() + ", But Found: " + totItemCnt);
    }
    for (String f : List.of("totTaxblAmt", "totTaxAmt", "totAmt")) {
      if (!body.hasNonNull(f) || body.get(f).asText().isBlank()) {
        throw EtimsRejection.invalid("Expected a value for " + f + " but it is empty or null");
      }
    }
    boolean incoming = sarTyCd.compareTo("10") < 0;
    List<StockMove.Line> lines = new ArrayList<>();
    Map<String, BigDecimal> outForSale = new HashMap<>();
    int n = 0;
    for (JsonNode node : list) {
      n++;
      ObjectNode line = (ObjectNode) node;
      String itemCd = line.path("itemCd").asText(null);
      registered(b, itemCd);
      for (String f : List.of("qty", "prc", "splyAmt", "taxblAmt", "taxAmt", "totAmt")) {
        if (!line.hasNonNull(f) || line.get(f).asText().isBlank()) {
          throw EtimsRejection.invalid("Expected a value for " + f + " on item " + n + " but it is empty or null");
        }
      }
      BigDecimal qty = number(line, "qty", "itemList[" + (n - 1) + "].qty");
      if (qty.signum() <= 0) {
        throw EtimsRejection.invalid("Invalid qty on item: " + n + ". Quantity must be greater than zero");
      }
      lines.add(new StockMove.Line(n, itemCd, qty, number(line, "totAmt", "itemList[" + (n - 1) + "].totAmt")));
      if (sarTyCd.equals("11")) {
        outForSale.merge(itemCd, qty, BigDecimal::add);
      }
    }
    // sheet §14: "Every stock in/out information must have its sales Invoice information sent in advance"
    for (Map.Entry<String, BigDecimal> e : outForSale.entrySet()) {
      BigDecimal sold = BigDecimal.ZERO;
      for (AcceptedInvoice i : b.invoices) {
        if (i.rcptTyCd().equals("S")) {
          for (InvoiceLine l : i.items()) {
            if (l.itemCd().equals(e.getKey())) {
              sold = sold.add(l.qty());
            }
          }
        }
      }
      BigDecimal released = b.saleOutReleased.getOrDefault(e.getKey(), BigDecimal.ZERO);
      if (released.add(e.getValue()).compareTo(sold) > 0) {
        throw new EtimsRejection("921", ResultCodes.text("921") + " Stock out for sale of " + e.getKey()
            + " (" + e.getValue().toPlainString() + ") has no sales invoice sent in advance (sold "
            + sold.toPlainString() + ", already released " + released.toPlainString() + ")", false);
      }
    }
    b.lastSarNo = sarNo;
    for (StockMove.Line l : lines) {
      b.stock.merge(l.itemCd(), incoming ? l.qty() : l.qty().negate(), BigDecimal::add);
    }
    outForSale.forEach((k, v) -> b.saleOutReleased.merge(k, v, BigDecimal::add));
    b.moves.add(new StockMove(sarNo, orgSarNo, sarTyCd, ocrnDt, List.copyOf(lines), raw));
  }

  private void stockMaster(Branch b, ObjectNode body) {
    String itemCd = required(body, "itemCd");
    registered(b, itemCd);
    BigDecimal rsdQty = number(body, "rsdQty", "rsdQty");
    if (!b.stock.containsKey(itemCd)) {
      // sheet §14, verbatim
      throw EtimsRejection.invalid("Stock IO is empty, consider adding items to the stock IO first");
    }
    b.stockMaster.put(itemCd, rsdQty);
  }

  // ---------------------------------------------------------------- helpers

  private Outcome done(JsonNode data, String tin, String bhfId) {
    return new Outcome(ResultCodes.OK, options.successMessage(), data, null, tin, bhfId);
  }

  /** The resultDt of an answer; remembered so that later changes are dated after every served lastReqDt. */
  synchronized String resultDt() {
    LocalDateTime now = now();
    if (now.isAfter(lastServed)) {
      lastServed = now;
    }
    return now.format(DT14);
  }

  private LocalDateTime changeTime() {
    LocalDateTime now = now();
    LocalDateTime after = lastServed.plusSeconds(1);
    return now.isAfter(after) ? now : after;
  }

  private String stamp() {
    return now().format(DT14);
  }

  LocalDateTime now() {
    return LocalDateTime.now(options.clock().withZone(NAIROBI)).withNano(0);
  }

  private Branch branch(String tin, String bhfId) {
    return taxpayers.get(tin).branches.get(bhfId);
  }

  private Branch branchOrCreate(String tin, String bhfId) {
    Taxpayer t = taxpayers.computeIfAbsent(tin, x -> new Taxpayer(x, "Taxpayer " + x));
    return t.branches.computeIfAbsent(bhfId, x -> new Branch(t, x, x.equals("00") ? "Headquarter" : "Branch " + x,
        changeTime()));
  }

  private Device newDevice(String tin, String bhfId, String serial) {
    long n = ++deviceCount;
    byte[] h = hmac(seed, "device|" + tin + "|" + bhfId + "|" + serial);
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      key.append(String.format("%02x", h[i]));
    }
    return new Device(serial, String.format("99999%011d", n), String.format("KRACU01%07d", n),
        String.format("WIS01%06d", n), key.toString());
  }

  private static DeviceInfo view(Branch b, Device d) {
    return new DeviceInfo(b.taxpayer.tin, b.bhfId, d.serial, d.dvcId, d.sdcId, d.mrcNo, d.cmcKey, d.initialised);
  }

  private byte[] branchKey(Branch b) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(seed);
      sha.update(("|branch|" + b.taxpayer.tin + "|" + b.bhfId).getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte x : bytes) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }

  private static Map<String, BigDecimal> zeros() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    BANDS.forEach(x -> m.put(x, BigDecimal.ZERO));
    return m;
  }

  private static BigDecimal sum(Map<String, BigDecimal> m) {
    return m.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static void compare(String field, BigDecimal expected, BigDecimal found) {
    if (expected.compareTo(found) != 0) {
      throw EtimsRejection.invalid("Invalid " + field + ". Expected: " + two(expected) + ", But Found: "
          + shown(found));
    }
  }

  static BigDecimal round2(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  static String two(BigDecimal v) {
    return round2(v).toPlainString();
  }

  /** A value as sent, shown with at least two decimals (KRA prints {@code 100.00}). */
  private static String shown(BigDecimal v) {
    return v.scale() < 2 ? v.setScale(2).toPlainString() : v.toPlainString();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body == null ? null : body.get(field);
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }

  private static String required(ObjectNode body, String field) {
    return required(body, field, field);
  }

  private static String required(ObjectNode body, String field, String label) {
    String v = text(body, field);
    if (blank(v)) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : may not be empty]");
    }
    return v;
  }

  private static void requireAll(ObjectNode body, String... fields) {
    for (String f : fields) {
      required(body, f);
    }
  }

  /** Sheet §15.3: both registrant and modifier are required (KRA names the first missing one). */
  private static void requireRegistrant(ObjectNode body) {
    requireAll(body, "regrId", "regrNm", "modrId", "modrNm");
  }

  private static long integer(ObjectNode body, String field) {
    return integer(body, field, field);
  }

  /** A JSON integer; sheet §13: invcNo as a string is rejected. */
  private static long integer(ObjectNode body, String field, String label) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : may not be null]");
    }
    if (!n.isNumber()) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : must be a number, found \""
          + n.asText() + "\"]");
    }
    BigDecimal v = n.decimalValue();
    if (v.stripTrailingZeros().scale() > 0) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : must be an integer, found "
          + n.asText() + "]");
    }
    return v.longValueExact();
  }

  private static BigDecimal number(ObjectNode body, String field, String label) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : may not be null]");
    }
    if (!n.isNumber()) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : must be a number, found \""
          + n.asText() + "\"]");
    }
    return n.decimalValue();
  }

  private static BigDecimal positive(ObjectNode body, String field, String label) {
    BigDecimal v = number(body, field, label);
    if (v.signum() <= 0) {
      throw EtimsRejection.invalid("Request parameter error[" + label + " : must be greater than zero]");
    }
    return v;
  }

  /** Sheet §6.2, §17.10: amounts are positive on the wire, credit notes included. */
  private static BigDecimal nonNegative(ObjectNode line, String field, String at, int n) {
    BigDecimal v = number(line, field, at + field);
    if (v.signum() < 0) {
      throw EtimsRejection.invalid("Invalid " + field + " on item: " + n
          + ". Negative amounts are not allowed, But Found: " + v.toPlainString());
    }
    return v;
  }

  private static LocalDateTime dateTime(String s, String field) {
    try {
      return LocalDateTime.parse(s, DT14);
    } catch (DateTimeParseException e) {
      throw EtimsRejection.invalid("Request parameter error[" + field + " : must be yyyyMMddHHmmss, found "
          + s + "]");
    }
  }

  private static void date(String s, String field) {
    try {
      LocalDate.parse(s, D8);
    } catch (DateTimeParseException e) {
      throw EtimsRejection.invalid("Request parameter error[" + field + " : must be yyyyMMdd, found " + s + "]");
    }
  }

  private static String lookupDate(String dt14) {
    return LocalDateTime.parse(dt14, DT14).format(LOOKUP);
  }

  private static void requireShape(String v, int len, String what) {
    if (v == null || v.length() != len) {
      throw new IllegalArgumentException(what + " must be " + len + " characters, was " + v);
    }
  }
}
