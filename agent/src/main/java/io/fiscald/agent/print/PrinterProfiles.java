package io.fiscald.agent.print;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.hal.print.CodePage;
import io.fiscald.hal.print.PrinterProfile;
import io.fiscald.hal.print.PrinterProfile.CodePageSlot;
import io.fiscald.hal.print.PrinterProfile.Cutter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Printer models as configuration: the built-in profiles (resource {@code printer-profiles.json}) and
 * profile files a technician writes (docs/PRINTERS.md). A file holds one profile object or an array of
 * them; unknown keys and out-of-range values are refused with the key named.
 */
public final class PrinterProfiles {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final Set<String> KEYS = Set.of("name", "columns", "dotsPerLine", "nativeQr", "qrModuleSize",
      "codePages", "cutter", "drawer", "feedLinesBeforeCut", "logoKey", "statusTimeoutMs", "jobTimeoutMs");
  private static final Map<String, PrinterProfile> BUILT_IN = loadBuiltIn();

  private PrinterProfiles() {}

  /** The built-in profiles by name: generic-80mm, generic-58mm, generic-42col, epson-tm-t20, basic-58mm-no-qr. */
  public static Map<String, PrinterProfile> builtIn() {
    return BUILT_IN;
  }

  /** A built-in profile by name. */
  public static PrinterProfile builtIn(String name) {
    PrinterProfile p = BUILT_IN.get(name);
    if (p == null) {
      throw new FiscalException(ErrorCode.PRINTER_PROFILE_INVALID, "no built-in printer profile '" + name
          + "'; known: " + String.join(", ", BUILT_IN.keySet()), Map.of("profile", name));
    }
    return p;
  }

  /** The generic built-in profile for a paper width of 32, 42 or 48 columns. */
  public static PrinterProfile forColumns(int columns) {
    return switch (columns) {
      case 32 -> builtIn("generic-58mm");
      case 42 -> builtIn("generic-42col");
      case 48 -> builtIn("generic-80mm");
      default -> throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "paper width must be 32, 42 or 48 columns, got "
          + columns);
    };
  }

  /** The profiles in a file: one object or an array. */
  public static List<PrinterProfile> load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "no such printer profile file: " + file);
    } catch (IOException e) {
      throw new FiscalException(ErrorCode.FILE_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** One profile from a file: the only one, or the one called {@code name}. */
  public static PrinterProfile load(Path file, String name) {
    List<PrinterProfile> all = load(file);
    if (name == null) {
      if (all.size() != 1) {
        throw new FiscalException(ErrorCode.PRINTER_PROFILE_INVALID, file + " holds " + all.size()
            + " profiles; say which one", Map.of("file", file.toString()));
      }
      return all.get(0);
    }
    return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new FiscalException(
        ErrorCode.PRINTER_PROFILE_INVALID, "no profile '" + name + "' in " + file, Map.of("file", file.toString())));
  }

  static List<PrinterProfile> parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid(source, null, "not valid JSON: " + e.getOriginalMessage());
    }
    List<PrinterProfile> out = new ArrayList<>();
    if (root != null && root.isArray()) {
      for (JsonNode n : root) {
        out.add(profile(n, source));
      }
    } else if (root != null && root.isObject()) {
      out.add(profile(root, source));
    } else {
      throw invalid(source, null, "expected a profile object or an array of them");
    }
    return out;
  }

  private static PrinterProfile profile(JsonNode n, String source) {
    if (!n.isObject()) {
      throw invalid(source, null, "each profile must be a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw invalid(source, key, "unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted()
            .toList()) + ")");
      }
    }
    String name = text(n, "name", source, null);
    if (name == null || name.isBlank()) {
      throw invalid(source, "name", "every profile needs a name");
    }
    int columns = integer(n, "columns", source, 48);
    PrinterProfile base = PrinterProfile.generic(columns == 32 || columns == 42 ? columns : 48);
    List<CodePageSlot> pages = base.codePages();
    if (n.has("codePages")) {
      pages = new ArrayList<>();
      if (!n.get("codePages").isArray()) {
        throw invalid(source, "codePages", "codePages must be an array of {\"page\": ..., \"escT\": ...}");
      }
      for (JsonNode slot : n.get("codePages")) {
        String page = text(slot, "page", source, null);
        try {
          pages.add(new CodePageSlot(CodePage.valueOf(page), integer(slot, "escT", source, -1)));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw invalid(source, "codePages", "unknown code page '" + page + "' or bad escT (pages: PC437, PC850, "
              + "PC858, WPC1252, PC866; escT 0-255)");
        }
      }
    }
    try {
      return new PrinterProfile(name, columns, integer(n, "dotsPerLine", source, base.dotsPerLine()),
          bool(n, "nativeQr", source, base.nativeQr()), integer(n, "qrModuleSize", source, base.qrModuleSize()), pages,
          Cutter.valueOf(text(n, "cutter", source, base.cutter().name())), bool(n, "drawer", source, base.drawer()),
          integer(n, "feedLinesBeforeCut", source, base.feedLinesBeforeCut()), text(n, "logoKey", source, null),
          integer(n, "statusTimeoutMs", source, base.statusTimeoutMillis()),
          integer(n, "jobTimeoutMs", source, base.jobTimeoutMillis()));
    } catch (IllegalArgumentException e) {
      throw invalid(source, null, e.getMessage());
    }
  }

  private static String text(JsonNode n, String key, String source, String dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw invalid(source, key, key + " must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String key, String source, int dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isInt()) {
      throw invalid(source, key, key + " must be a whole number");
    }
    return v.asInt();
  }

  private static boolean bool(JsonNode n, String key, String source, boolean dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw invalid(source, key, key + " must be true or false");
    }
    return v.asBoolean();
  }

  private static FiscalException invalid(String source, String key, String why) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", source);
    if (key != null) {
      details.put("key", key);
    }
    return new FiscalException(ErrorCode.PRINTER_PROFILE_INVALID, "printer profile " + source + ": " + why, details);
  }

  private static Map<String, PrinterProfile> loadBuiltIn() {
    try (InputStream in = PrinterProfiles.class.getResourceAsStream("printer-profiles.json")) {
      if (in == null) {
        throw new IllegalStateException("built-in printer-profiles.json is missing from the jar");
      }
      Map<String, PrinterProfile> out = new LinkedHashMap<>();
      for (PrinterProfile p : parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          "built-in printer-profiles.json")) {
        out.put(p.name(), p);
      }
      return java.util.Collections.unmodifiableMap(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in printer profiles", e);
    }
  }
}
