package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.SoftwareSigner;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every worked string of the ZIMRA protocol sheet (§9, §10, §12), and the hashes §9.2 allows. */
class ZimraGoldenTest {
  static final String PREV = "hNVJXP/ACOiE8McD3pKsDlqBXpuaUqQOfPnMyfZWI9k=";

  static final String RSA_PEM = """
      -----BEGIN RSA PRIVATE KEY-----
      MIIEpQIBAAKCAQEA52kCd2bXK+W72vC0+KlQ+tLUBNBsYNk9Gg+NPTxfD+92lFg9
      sPW8B1MFxTO+Kpw5MRzArB6M3LZ3pj0O525vLcgT301bridwTgpSfzqtoHFhgTox
      My94lMiYSK94w2RxslaMyDm4dCXGfU5AlAiuuegVFz056jV/Ik7jFjQLG5GQnRhW
      tGkI2TKZLOlBsjhxUKLKPwUCPtkfZmDig/fXE1XigqSOGMoxQ9BTxJ/i8wWU3AR1
      Tjou41EFisaOKpan4xqeRnvNrOs0eIccBFRXBCB78tLTZgE9yqgwoQ5oQpNm845O
      kFXQ0F770cy0sx+CO2OnpdQisRK8WDx95kJkIQIDAQABAoIBAFar6/KQoBKe7ucn
      tIBV2jC3ehV7grwbYVk7bej7jZdIVx9klWaMAyqzG7wqjxUiggE1BazxnEymQtYO
      lGB16ko5X8gJD0eBGf0AvLlOXu1yydQ+2WKUaxM+tlqy7gYwvqzO4de0VrOZ2mfg
      QSuwvNCAbjXQBrsD4mQVK9SLFYXzHuYPXDVgTnBktjVQpedV+gqdLVo8yMm1Fpv3
      bB/tvotBmxHKsVR6AZmGME1ttO0HR4L6Ha4d1ao5FK4+LtvowFSpSssQ7wyczJmO
      ualE4qt/S87Fvm1hYU7VLbm7pAcZMa15FhIVcWZar2RRwwhvm7XwZbnippNgETMC
      9bDsogECgYEA87D38++I3eCVm+bJ8Qpsu8yKVS2Bqv+dAyFLG9wFmA6OJhNrpQ+f
      JxSmv6sxiz492j4I+uHXuo9ylSg8NQmdtouNRD2Gb0Xb5K6W0zftnoj05P8zJkkR
      Z9RyoSXppLblazzT6LqUSk1/PWsX3OXlliNEh4babqsU6fartlWrqtECgYEA8xk9
      yz46DOKtu5GEl7i2pe2mMXNG3Ed/Bas1mwa1isnKPFjNNGLuMaITYvXDK+/O9hqO
      ESWIRg/sjQ1NaHrbZ3izYgqBPyPVX8inA/w+4Yb6CVHY+9KJGVqzqrvlWwkMkd6K
      IqL4SQAxWJQ1Ua1znbuB5TZ6tcZ4QcbVVcgB2FECgYEAwK+xn2RLqIUoRvmZu8ou
      Z+A3kVpGKVusXwk4RnMWyUDZDSpV91H+2fvuTaejqSIx7hsXJqjk11MNmvsRgC52
      UhzOOqMbZWirkoqqH6Eddjl8yoUvgJpN9Pd7HAjKUb98b+rM9DxzfL0CWyIO4E+3
      1ZtVWIQ8uzzzcHvnEmlzL8ECgYEA5lPOFpl4yuijDwqLBG3AsGoAgu3j/6XGFgrn
      mWC79SnH8XF5y97ILEKR97s/Fov6HXd/j4NuIGPKDsLByvJMmzbjT0sAtmAvNLea
      ds4yjeAjW10vJzmNKHalsGiioKRsQnEFlFewwwnptzGFa0PaPWKBajk5/qxzGG9Z
      hhMgnGECgYEAh3K9PsQSTT2tjxuOyyYjlDqDn7exl81i8XLeVKDOL7uQM6m3VICo
      F8KdKY2hrwe71pQMI6+P+GkDgx4J7qWO1EMZdMDcUDgzQemUQiUuFDFZ7FnUOkUS
      2RbcYyo9m5kGzHzfQPAAlk9J1tJ3/xm8Hi44b2ZpiCpHYNW+RtB2qjA=
      -----END RSA PRIVATE KEY-----
      """;

  static final String EC_PEM = """
      -----BEGIN EC PRIVATE KEY-----
      MHcCAQEEIBXgREh8BvsXj0FjjcZ29EQiVjWGJuqHQp55+LlZd6waoAoGCCqGSM49
      AwEHoUQDQgAE+79w72O6UYOJc9mfO8EjMEl9uysJaWJ0kVellIj46atl7FAG4NpY
      VDe6t5pTSWlM6qCj5qKealESKalMnV32qQ==
      -----END EC PRIVATE KEY-----
      """;

  /** taxID / taxCode / percent / taxAmount / salesAmountWithTax as in the sheet; "-" means not sent. */
  static ZimraTaxLine tax(long id, String code, String percent, String amount, String sales) {
    return new ZimraTaxLine(id, "-".equals(code) ? null : code, "-".equals(percent) ? null : new BigDecimal(percent),
        ZimraSignatures.cents(new BigDecimal(amount), RoundingMode.HALF_UP),
        ZimraSignatures.cents(new BigDecimal(sales), RoundingMode.HALF_UP));
  }

  static String receipt(long device, String type, String cur, long global, String date, String total,
      List<ZimraTaxLine> taxes, String prev) {
    return ZimraSignatures.receiptString(device, type, cur, global, date,
        ZimraSignatures.cents(new BigDecimal(total), RoundingMode.HALF_UP), taxes, prev);
  }

  static final List<ZimraTaxLine> FI1_TAXES = List.of(tax(1, "A", "-", "0", "2500"), tax(2, "B", "0", "0", "3500"),
      tax(3, "C", "15", "150", "1150"), tax(3, "D", "15", "300", "2300"));

  @Test
  void fiscalInvoiceExample1() {
    assertThat(receipt(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12", "9450.00", FI1_TAXES, PREV))
        .isEqualTo("321FISCALINVOICEZWL4322019-09-19T15:43:12945000A0250000B0.000350000C15.0015000115000"
            + "D15.0030000230000hNVJXP/ACOiE8McD3pKsDlqBXpuaUqQOfPnMyfZWI9k=");
  }

  @Test
  void fiscalInvoiceExample2WithoutTaxCodes() {
    assertThat(receipt(322, "FiscalInvoice", "USD", 85, "2019-09-19T09:23:07", "40.35",
        List.of(tax(1, "-", "-", "0", "7.00"), tax(2, "-", "0", "0", "10.00"), tax(3, "-", "14.5", "0.05", "0.35")),
        PREV)).isEqualTo("322FISCALINVOICEUSD852019-09-19T09:23:07403507000.000100014.50535" + PREV);
  }

  @Test
  void creditNoteExample1NegativeAmounts() {
    assertThat(receipt(321, "CreditNote", "ZWL", 432, "2020-09-19T15:43:12", "-9450.00",
        List.of(tax(1, "A", "-", "0", "-2500"), tax(2, "B", "0", "0", "-3500"), tax(3, "C", "15", "-150", "-1150"),
            tax(3, "D", "15", "-300", "-2300")), PREV))
        .isEqualTo("321CREDITNOTEZWL4322020-09-19T15:43:12-945000A0-250000B0.000-350000C15.00-15000-115000"
            + "D15.00-30000-230000hNVJXP/ACOiE8McD3pKsDlqBXpuaUqQOfPnMyfZWI9k=");
  }

  @Test
  void creditNoteExample2ZeroIsNeverMinusZero() {
    String s = receipt(322, "CreditNote", "USD", 85, "2020-09-19T09:23:07", "-40.35",
        List.of(tax(1, "-", "-", "-0", "-7.00"), tax(2, "-", "0", "0", "-10.00"), tax(3, "-", "14.5", "-3.00", "-23.00")),
        PREV);
    assertThat(s).isEqualTo("322CREDITNOTEUSD852020-09-19T09:23:07-40350-7000.000-100014.50-300-2300" + PREV);
    // §9.2: the one reproducible receipt hash
    assertThat(ZimraSignatures.hashBase64(s)).isEqualTo("F9/QB0vhxQlEF2nk+oebwP8V+qBcNlOFvoTeE/1QxPc=");
  }

  @Test
  void debitNoteExamples() {
    assertThat(receipt(321, "DebitNote", "ZWL", 432, "2020-09-19T15:43:12", "9450.00", FI1_TAXES, PREV))
        .isEqualTo("321DEBITNOTEZWL4322020-09-19T15:43:12945000A0250000B0.000350000C15.0015000115000"
            + "D15.0030000230000hNVJXP/ACOiE8McD3pKsDlqBXpuaUqQOfPnMyfZWI9k=");
    assertThat(receipt(322, "DebitNote", "USD", 85, "2020-09-19T09:23:07", "40.35",
        List.of(tax(1, "-", "-", "0", "7.00"), tax(2, "-", "0", "0", "10.00"), tax(3, "-", "14.5", "3.00", "23.00")),
        PREV)).isEqualTo("322DEBITNOTEUSD852020-09-19T09:23:07403507000.000100014.503002300" + PREV);
  }

  @Test
  void taxLinesAreSortedByTaxIdThenCodeWhateverTheInputOrder() {
    List<ZimraTaxLine> shuffled = new ArrayList<>(FI1_TAXES);
    Collections.reverse(shuffled);
    assertThat(receipt(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12", "9450.00", shuffled, PREV))
        .isEqualTo(receipt(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12", "9450.00", FI1_TAXES, PREV));
    List<ZimraTaxLine> mixed = List.of(FI1_TAXES.get(3), FI1_TAXES.get(1), FI1_TAXES.get(2), FI1_TAXES.get(0));
    assertThat(receipt(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12", "9450.00", mixed, PREV))
        .contains("A0250000B0.000350000C15.0015000115000D15.0030000230000");
    // an empty code sorts before "A" within one taxID
    List<ZimraTaxLine> sameId = List.of(tax(5, "A", "15", "1", "2"), tax(5, "-", "15", "3", "4"));
    assertThat(receipt(1, "FiscalInvoice", "USD", 1, "2024-01-01T00:00:00", "6", sameId, null))
        .endsWith("60015.00300400A15.00100200");
  }

  @Test
  void firstReceiptOfTheDayHasNoPreviousHash() {
    String first = receipt(322, "FiscalInvoice", "USD", 85, "2019-09-19T09:23:07", "40.35",
        List.of(tax(1, "-", "-", "0", "7.00")), null);
    assertThat(first).isEqualTo("322FISCALINVOICEUSD852019-09-19T09:23:0740350700");
  }

  @Test
  void fdmsReceiptSignatureString() {
    String s = ZimraSignatures.serverReceiptString("YyXTSizBBrMjMk4VQL+sCNr+2AC6aQbDAn9JMV2rk3yJ6MDZwie0wqQW3oisNWrMkeZs"
        + "uAyFSnFkU2A+pKm91sOHVdjeRBebjQgAQQIMTCVIcYrx+BizQ7Ib9iCdsVI+Jel2nThqQiQzfRef6EgtgsaIAN+PV55xSrHvPkIe+Bc=",
        48377, "2019-09-19T15:43:12");
    assertThat(ZimraSignatures.hashBase64(s)).isEqualTo("JQoIo/AgOsvm+PUQpvlQ/U7YMei3m/jbygNrBVfz6Sg=");
  }

  /** The counters of SPEC §13.3.1, with taxIDs 1 exempt, 2 zero-rated, 3 14.5 %, 4 15 %. */
  static List<ZimraCounter> dayCounters() {
    return List.of(
        ZimraCounter.balance("ZWL", ZimraMoneyType.Card, 1500000),
        ZimraCounter.byTax(ZimraCounterType.SaleByTax, "ZWL", 1, null, 2300000),
        ZimraCounter.byTax(ZimraCounterType.SaleByTax, "ZWL", 2, new BigDecimal("0"), 1200000),
        ZimraCounter.byTax(ZimraCounterType.SaleTaxByTax, "ZWL", 4, new BigDecimal("15"), 230000),
        ZimraCounter.byTax(ZimraCounterType.SaleByTax, "USD", 3, new BigDecimal("14.5"), 2500),
        ZimraCounter.byTax(ZimraCounterType.CreditNoteByTax, "USD", 3, new BigDecimal("14.5"), 0),
        ZimraCounter.byTax(ZimraCounterType.SaleByTax, "ZWL", 4, new BigDecimal("15"), 1200),
        ZimraCounter.byTax(ZimraCounterType.SaleTaxByTax, "USD", 4, new BigDecimal("15"), 250),
        ZimraCounter.balance("USD", ZimraMoneyType.Cash, 3700),
        ZimraCounter.balance("ZWL", ZimraMoneyType.Cash, 2000000));
  }

  @Test
  void fiscalDayStringInTheSpecExampleOrderWithTheUsdlTypoFixed() {
    assertThat(ZimraSignatures.dayString(321, 84, "2019-09-23", dayCounters(), CounterOrder.SPEC_EXAMPLE))
        .isEqualTo("321842019-09-23SALEBYTAXZWL2300000SALEBYTAXZWL0.001200000SALEBYTAXUSD14.502500"
            + "SALEBYTAXZWL15.001200SALETAXBYTAXUSD15.00250SALETAXBYTAXZWL15.00230000BALANCEBYMONEYTYPEUSDCASH3700"
            + "BALANCEBYMONEYTYPEZWLCASH2000000BALANCEBYMONEYTYPEZWLCARD1500000");
  }

  @Test
  void fiscalDayStringInTheRecommendedOrderDropsZeroCounters() {
    String s = ZimraSignatures.dayString(321, 84, "2019-09-23", dayCounters(), CounterOrder.RECOMMENDED);
    assertThat(s).isEqualTo("321842019-09-23SALEBYTAXUSD14.502500SALEBYTAXZWL2300000SALEBYTAXZWL0.001200000"
        + "SALEBYTAXZWL15.001200SALETAXBYTAXUSD15.00250SALETAXBYTAXZWL15.00230000BALANCEBYMONEYTYPEUSDCASH3700"
        + "BALANCEBYMONEYTYPEZWLCASH2000000BALANCEBYMONEYTYPEZWLCARD1500000");
    assertThat(s).doesNotContain("CREDITNOTE");
  }

  @Test
  void dayHashPlumbingReproducesThePrintedHashOfTheLiteralTypoString() {
    // §10.2: only a check of SHA-256 + Base64, never of the builder (the string carries the USDL typo)
    String literal = "321842019-09-23SALEBYTAXZWL2300000SALEBYTAXZWL0.001200000SALEBYTAXUSD14.502500SALEBYTAXZWL15.00"
        + "1200SALETAXBYTAXUSD15.00250SALETAXBYTAXZWL15.00230000BALANCEBYMONEYTYPEUSDLCASH3700BALANCEBYMONEYTYPEZWL"
        + "CASH2000000BALANCEBYMONEYTYPEZWLCARD1500000";
    assertThat(ZimraSignatures.hashBase64(literal)).isEqualTo("OdT8lLI0JXhXl1XQgr64Zb1ltFDksFXThVxqM6O8xZE=");
  }

  @Test
  void qrUrlsOfTheSpec() {
    assertThat(ZimraQr.qrUrl("https://invoice.zimra.co.zw", 321, LocalDate.of(2023, 4, 3), 1112223331L,
        "4C8BE27663330417"))
        .isEqualTo("https://invoice.zimra.co.zw/00000003210304202311122233314C8BE27663330417");
    assertThat(ZimraQr.qrUrl("https://invoice.zimra.co.zw/", 322, LocalDate.of(2023, 4, 4), 1332, "C10B0476B3B14678"))
        .isEqualTo("https://invoice.zimra.co.zw/0000000322040420230000001332C10B0476B3B14678");
    assertThat(ZimraQr.verificationCode("4C8BE27663330417")).isEqualTo("4C8B-E276-6333-0417");
  }

  @Test
  void qrDataIsMd5OfTheRawSignatureBytesByDefault() throws Exception {
    byte[] sig = {1, 2, 3, (byte) 0xFF};
    String b64 = Base64.getEncoder().encodeToString(sig);
    String rawMd5 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(sig));
    String hexMd5 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5")
        .digest("010203FF".getBytes(StandardCharsets.US_ASCII)));
    assertThat(ZimraQr.qrData(b64, QrDataSource.RAW_SIGNATURE)).isEqualTo(rawMd5.substring(0, 16));
    assertThat(ZimraQr.qrData(b64, QrDataSource.SIGNATURE_HEX_TEXT)).isEqualTo(hexMd5.substring(0, 16));
  }

  @Test
  void rsaSignatureWithTheSpecKeyIsDeterministicAndVerifies() {
    SoftwareSigner rsa = PemKeys.signer(RSA_PEM);
    assertThat(rsa.algorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
    assertThat(HexFormat.of().formatHex(((java.security.interfaces.RSAPublicKey) rsa.publicKey()).getModulus()
        .toByteArray())).contains("e769027766d72be5");
    String s = receipt(322, "CreditNote", "USD", 85, "2020-09-19T09:23:07", "-40.35",
        List.of(tax(1, "-", "-", "0", "-7.00")), PREV);
    String a = ZimraSignatures.signBase64(rsa, s, EcdsaEncoding.DER);
    String b = ZimraSignatures.signBase64(PemKeys.signer(RSA_PEM), s, EcdsaEncoding.DER);
    assertThat(a).isEqualTo(b);
    assertThat(ZimraSignatures.verify(rsa.publicKey(), s, a)).isTrue();
    assertThat(ZimraSignatures.verify(rsa.publicKey(), s + "x", a)).isFalse();
  }

  @Test
  void ecdsaSignatureWithTheSpecKeyVerifiesInDerAndRaw() {
    SoftwareSigner ec = PemKeys.signer(EC_PEM);
    assertThat(ec.algorithm()).isEqualTo(KeyAlgorithm.EC_P256);
    String s = receipt(321, "FiscalInvoice", "ZWL", 432, "2019-09-19T15:43:12", "9450.00", FI1_TAXES, PREV);
    String der = ZimraSignatures.signBase64(ec, s, EcdsaEncoding.DER);
    String raw = ZimraSignatures.signBase64(ec, s, EcdsaEncoding.RAW);
    assertThat(Base64.getDecoder().decode(der)[0]).isEqualTo((byte) 0x30);
    assertThat(Base64.getDecoder().decode(raw)).hasSize(64);
    assertThat(ZimraSignatures.verify(ec.publicKey(), s, der)).isTrue();
    assertThat(ZimraSignatures.verify(ec.publicKey(), s, raw)).isTrue();
    assertThat(ZimraSignatures.verify(ec.publicKey(), s.replace("432", "433"), der)).isFalse();
  }

  @Test
  void percentAndCentsFormatting() {
    assertThat(ZimraSignatures.percent(new BigDecimal("15"))).isEqualTo("15.00");
    assertThat(ZimraSignatures.percent(new BigDecimal("14.5"))).isEqualTo("14.50");
    assertThat(ZimraSignatures.percent(BigDecimal.ZERO)).isEqualTo("0.00");
    assertThat(ZimraSignatures.percent(null)).isEmpty();
    assertThat(ZimraSignatures.cents(new BigDecimal("0.05"), RoundingMode.HALF_UP)).isEqualTo(5);
    assertThat(ZimraSignatures.cents(new BigDecimal("500"), RoundingMode.HALF_UP)).isEqualTo(50000);
    assertThat(ZimraSignatures.cents(new BigDecimal("1.005"), RoundingMode.HALF_UP)).isEqualTo(101);
  }
}
