package io.fiscald.hal.controlunit;

import io.fiscald.hal.controlunit.ControlUnitException.Kind;
import io.fiscald.hal.sign.KeyAlgorithm;
import io.fiscald.hal.sign.PublicKeys;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fiscald reference command set, spoken by the emulator in {@code sim}: GET_INFO, GET_PUBLIC_KEY
 * and SIGN. Every response's data starts with a status byte (0 = OK); see docs/FISCAL-MODULES.md.
 */
public final class ReferenceCommandSet implements ControlUnitCommandSet {
  public static final String VENDOR = "fiscald-reference";
  public static final int GET_INFO = 0x01;
  public static final int GET_PUBLIC_KEY = 0x02;
  public static final int SIGN = 0x03;

  public static final int STATUS_OK = 0x00;
  public static final int STATUS_UNKNOWN_COMMAND = 0x01;
  public static final int STATUS_BAD_REQUEST = 0x02;
  public static final int STATUS_NOT_READY = 0x03;
  public static final int STATUS_FAILURE = 0x04;

  @Override
  public String vendor() {
    return VENDOR;
  }

  /** GET_INFO answers {@code key=value} lines (UTF-8): vendor, model, serial, firmware. */
  @Override
  public ControlUnitInfo info(ControlUnitLink link) {
    String text = new String(payload(link, "GET_INFO", link.exchange("GET_INFO", GET_INFO, new byte[0])),
        StandardCharsets.UTF_8);
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return new ControlUnitInfo(fields.getOrDefault("vendor", "?"), fields.getOrDefault("model", "?"),
        fields.getOrDefault("serial", "?"), fields.getOrDefault("firmware", "?"));
  }

  /** GET_PUBLIC_KEY answers the X.509 SubjectPublicKeyInfo (DER). */
  @Override
  public PublicKey publicKey(ControlUnitLink link) {
    byte[] der = payload(link, "GET_PUBLIC_KEY", link.exchange("GET_PUBLIC_KEY", GET_PUBLIC_KEY, new byte[0]));
    try {
      return PublicKeys.fromDer(der);
    } catch (IllegalArgumentException e) {
      throw new ControlUnitException(Kind.UNIT_ERROR, "control unit on " + link.portName()
          + " answered GET_PUBLIC_KEY with " + der.length + " bytes that are no public key: " + e.getMessage(),
          Map.of("port", link.portName(), "command", "GET_PUBLIC_KEY"), e);
    }
  }

  /** SIGN takes the 32-byte digest and answers the signature. */
  @Override
  public byte[] signDigest(ControlUnitLink link, byte[] sha256, KeyAlgorithm algorithm) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("SIGN takes a 32-byte SHA-256 digest, got " + sha256.length + " bytes");
    }
    return payload(link, "SIGN", link.exchange("SIGN", SIGN, sha256));
  }

  private static byte[] payload(ControlUnitLink link, String name, Frame response) {
    byte[] data = response.data();
    if (data.length == 0) {
      throw new ControlUnitException(Kind.UNIT_ERROR, "control unit on " + link.portName() + " answered " + name
          + " without a status byte", Map.of("port", link.portName(), "command", name), null);
    }
    int status = data[0] & 0xff;
    if (status != STATUS_OK) {
      String reason = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
      throw new ControlUnitException(Kind.UNIT_ERROR, "control unit on " + link.portName() + " refused " + name
          + ": status " + status + " (" + statusName(status) + ")" + (reason.isEmpty() ? "" : ": " + reason),
          Map.of("port", link.portName(), "command", name, "status", status), null);
    }
    return Arrays.copyOfRange(data, 1, data.length);
  }

  static String statusName(int status) {
    return switch (status) {
      case STATUS_UNKNOWN_COMMAND -> "unknown command";
      case STATUS_BAD_REQUEST -> "bad request";
      case STATUS_NOT_READY -> "not ready";
      case STATUS_FAILURE -> "failure";
      default -> "vendor status";
    };
  }
}
