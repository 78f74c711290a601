package io.fiscald.agent.authority.zimra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.CanonicalJson;
import java.math.RoundingMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RCPT020 debugger on the spec's credit note example 2, in the gateway's JSON shape. */
class ZimraSignatureDebuggerTest {
  static final String CN_EX2 = """
      {"receipt":{"receiptType":"CreditNote","receiptCurrency":"USD","receiptCounter":2,"receiptGlobalNo":85,
       "receiptDate":"2020-09-19T09:23:07","receiptTotal":-40.35,"receiptLines":[],
       "receiptTaxes":[{"taxID":3,"taxPercent":14.5,"taxAmount":-3.00,"salesAmountWithTax":-23.00},
                       {"taxID":1,"taxAmount":0,"salesAmountWithTax":-7.00},
                       {"taxID":2,"taxPercent":0,"taxAmount":0,"salesAmountWithTax":-10.00}]}}
      """;

  @Test
  void rebuildsTheStringAndTheReproducibleHashFromUnsortedJson() {
    JsonNode json = CanonicalJson.read(CN_EX2);
    Map<String, Object> out = ZimraSignatureDebugger.explain(json, 322, ZimraGoldenTest.PREV, null, null,
        EcdsaEncoding.DER, QrDataSource.RAW_SIGNATURE, RoundingMode.HALF_UP);
    assertThat(out.get("signatureString")).isEqualTo(
        "322CREDITNOTEUSD852020-09-19T09:23:07-40350-7000.000-100014.50-300-2300" + ZimraGoldenTest.PREV);
    assertThat(out.get("hash")).isEqualTo("F9/QB0vhxQlEF2nk+oebwP8V+qBcNlOFvoTeE/1QxPc=");
    assertThat(out).doesNotContainKey("signature");
  }

  @Test
  void withAKeySignsAndBuildsQrDataAndWarnsAboutTypicalMistakes() {
    JsonNode json = CanonicalJson.read(CN_EX2.replace("\"2020-09-19T09:23:07\"", "\"2020-09-19T09:23:07.123Z\""));
    SoftwareSigner rsa = PemKeys.signer(ZimraGoldenTest.RSA_PEM);
    Map<String, Object> out = ZimraSignatureDebugger.explain(json, 322, null, rsa, "https://fdmstest.zimra.co.zw/",
        EcdsaEncoding.DER, QrDataSource.RAW_SIGNATURE, RoundingMode.HALF_UP);
    String signature = (String) out.get("signature");
    assertThat(ZimraSignatures.verify(rsa.publicKey(), (String) out.get("signatureString"), signature)).isTrue();
    assertThat(out.get("qrData")).isEqualTo(ZimraQr.qrData(signature, QrDataSource.RAW_SIGNATURE));
    assertThat((String) out.get("qrUrl")).startsWith("https://fdmstest.zimra.co.zw/000000032219092020000000008");
    assertThat(out.get("warnings").toString()).contains("receiptDate", "previous-hash");
  }
}
