package io.fiscald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.authority.zimra.EcdsaEncoding;
import io.fiscald.agent.authority.zimra.PemKeys;
import io.fiscald.agent.authority.zimra.QrDataSource;
import io.fiscald.agent.authority.zimra.ZimraSignatureDebugger;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.sign.SoftwareSigner;
import io.fiscald.store.CanonicalJson;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl zimra signature}: rebuild a receipt's signature string, hash and QR data (RCPT020). */
@Command(name = "signature", mixinStandardHelpOptions = true,
    description = {"Rebuild the ZIMRA receipt device signature string and its SHA-256 hash from a receipt in the "
        + "gateway's own Receipt JSON (as sent to SubmitReceipt), to find why FDMS answers RCPT020. With --key "
        + "(PEM: PKCS#1, SEC1 or PKCS#8; RSA or EC) it also signs and prints qrData and the verification code; "
        + "with --qr-url the full QR URL. Touches no data directory.",
        "", "Examples:",
        "  fiscalctl zimra signature --device-id 321 --input receipt.json --json",
        "  fiscalctl zimra signature --device-id 321 --input receipt.json --previous-hash hNVJ...I9k= "
            + "--key device.pem --qr-url https://fdmstest.zimra.co.zw --json"})
final class ZimraSignatureCommand extends BaseCommand {
  @Option(names = "--device-id", required = true, paramLabel = "N", description = "ZIMRA deviceID.")
  long deviceId;

  @Option(names = "--input", required = true, paramLabel = "RECEIPT.json", description = "The Receipt JSON.")
  Path input;

  @Option(names = "--previous-hash", paramLabel = "B64",
      description = "Hash of the previous receipt of the same fiscal day; omit for the day's first receipt.")
  String previousHash;

  @Option(names = "--key", paramLabel = "KEY.pem", description = "Private key to sign with (a test key, never production).")
  Path key;

  @Option(names = "--qr-url", paramLabel = "URL", description = "getConfig qrUrl, to print the full QR URL.")
  String qrUrl;

  @Option(names = "--ecdsa", defaultValue = "DER", paramLabel = "ENC",
      description = "ECDSA signature encoding: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  EcdsaEncoding ecdsa;

  @Option(names = "--qr-md5", defaultValue = "RAW_SIGNATURE", paramLabel = "SRC",
      description = "What receiptQrData's MD5 is taken over: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  QrDataSource qrSource;

  @Override
  int run() {
    JsonNode json;
    try {
      json = CanonicalJson.read(Files.readString(input, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read " + input + ": " + e.getMessage(),
          Map.of("file", String.valueOf(input)));
    } catch (RuntimeException e) {
      throw new FiscalException(ErrorCode.MALFORMED_JSON, input + " is not JSON: " + e.getMessage(),
          Map.of("file", String.valueOf(input)));
    }
    SoftwareSigner signer = null;
    if (key != null) {
      try {
        signer = PemKeys.signer(Files.readString(key, StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read the key file " + key,
            Map.of("file", String.valueOf(key)));
      }
    }
    Map<String, Object> out = ZimraSignatureDebugger.explain(json, deviceId, previousHash, signer, qrUrl, ecdsa,
        qrSource, RoundingMode.HALF_UP);
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Object> e : out.entrySet()) {
      if (e.getValue() instanceof List<?> list) {
        list.forEach(w -> text.append("warning: ").append(w).append('\n'));
      } else {
        text.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    result(out, text.toString());
    return 0;
  }
}
