package io.fiscald.hal.sign.pkcs11;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a device key lives on a PKCS#11 token: the vendor's module library, the slot (by id or by
 * position in the slot list) and the key's label. Holds no PIN.
 *
 * @param slot the PKCS#11 slot id ({@code softhsm2-util --show-slots}, {@code pkcs11-tool -L}), or null
 * @param slotIndex position in the list of slots with a token present; used when {@code slot} is null
 *     (null means 0, the first token)
 */
public record Pkcs11Config(Path library, Long slot, Integer slotIndex, String keyLabel) {

  public Pkcs11Config {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(keyLabel, "keyLabel");
    if (keyLabel.isBlank()) {
      throw new IllegalArgumentException("the PKCS#11 key label must not be blank");
    }
    if (slot != null && slotIndex != null) {
      throw new IllegalArgumentException("give either a PKCS#11 slot id or a slot index, not both");
    }
    if (slot != null && slot < 0) {
      throw new IllegalArgumentException("PKCS#11 slot id must not be negative, got " + slot);
    }
    if (slotIndex != null && slotIndex < 0) {
      throw new IllegalArgumentException("PKCS#11 slot index must not be negative, got " + slotIndex);
    }
  }

  /** "slot 1234" or "slot index 0", for messages. */
  public String slotDescription() {
    return slot != null ? "slot " + slot : "slot index " + (slotIndex == null ? 0 : slotIndex);
  }

  /** "key 'fiscald-device' in slot 1234 of /usr/lib/softhsm/libsofthsm2.so", for messages. */
  public String describe() {
    return "key '" + keyLabel + "' in " + slotDescription() + " of " + library;
  }

  /**
   * The SunPKCS11 configuration text. Generated keys are token objects, sensitive and not
   * extractable: the token refuses to hand out the private key, even wrapped.
   */
  String sunPkcs11Config(String name) {
    StringBuilder text = new StringBuilder();
    text.append("name = ").append(name).append('\n');
    text.append("library = ").append(quoted(library.toString())).append('\n');
    if (slot != null) {
      text.append("slot = ").append(slot).append('\n');
    } else {
      text.append("slotListIndex = ").append(slotIndex == null ? 0 : slotIndex).append('\n');
    }
    text.append("attributes(generate, CKO_PRIVATE_KEY, *) = {\n")
        .append("  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
    text.append("attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n");
    return text.toString();
  }

  private static String quoted(String value) {
    if (value.contains("\"")) {
      throw new IllegalArgumentException("a PKCS#11 library path must not contain '\"': " + value);
    }
    return "\"" + value + "\"";
  }
}
