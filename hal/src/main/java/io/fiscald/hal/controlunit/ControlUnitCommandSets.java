package io.fiscald.hal.controlunit;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds a command set by vendor name: the built-in reference set, then any on the class path (ServiceLoader). */
public final class ControlUnitCommandSets {
  private ControlUnitCommandSets() {}

  /** All command sets by vendor name. */
  public static Map<String, ControlUnitCommandSet> all() {
    Map<String, ControlUnitCommandSet> sets = new TreeMap<>();
    ReferenceCommandSet reference = new ReferenceCommandSet();
    sets.put(reference.vendor(), reference);
    for (ControlUnitCommandSet set : ServiceLoader.load(ControlUnitCommandSet.class)) {
      sets.putIfAbsent(set.vendor(), set);
    }
    return sets;
  }

  /** The command set of {@code vendor}; throws naming the known vendors if there is none. */
  public static ControlUnitCommandSet forVendor(String vendor) {
    Map<String, ControlUnitCommandSet> sets = all();
    ControlUnitCommandSet set = sets.get(vendor);
    if (set == null) {
      throw new IllegalArgumentException("no control unit command set for vendor '" + vendor + "'; known: "
          + sets.keySet());
    }
    return set;
  }
}
