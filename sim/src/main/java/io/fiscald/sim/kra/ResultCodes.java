package io.fiscald.sim.kra;

import java.util.Map;

/** The server-side result codes and their verbatim texts (sheet §9). */
final class ResultCodes {
  static final String OK = "000";
  static final String NO_DATA = "001";

  private static final Map<String, String> TEXT = Map.ofEntries(
      Map.entry("000", "It is succeeded"),
      Map.entry("001", "There is no search result"),
      Map.entry("900", "There is no Header information"),
      Map.entry("901", "It is not valid device"),
      Map.entry("902", "This device is installed"),
      Map.entry("903", "Only OSCU device can be verified."),
      Map.entry("910", "Request parameter error"),
      Map.entry("911", "There is no request full text"),
      Map.entry("912", "There is a request Method error."),
      Map.entry("921", "Sales or sales invoice data which is declared cannot be received."),
      Map.entry("922", "Sales invoice data can be received after receiving the sales data."),
      Map.entry("990", "The maxium number of views are exceeded"),
      Map.entry("991", "Error during registration"),
      Map.entry("994", "There is an overlapped Data"),
      Map.entry("999", "There is an unknown error. Please ask it administrator"));

  private ResultCodes() {
  }

  static String text(String code) {
    return TEXT.getOrDefault(code, "There is an unknown error. Please ask it administrator");
  }
}
