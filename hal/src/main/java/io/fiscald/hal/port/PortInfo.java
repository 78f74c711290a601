package io.fiscald.hal.port;

/**
 * One device found on this machine, for {@code fiscalctl ports list}.
 *
 * @param vendorId USB vendor id as 4 hex digits, or null when the port is not USB or the system does not tell
 * @param problem why this user cannot open it, in plain words with the fix; null when it can
 */
public record PortInfo(String path, String kind, String description, String vendorId, String productId,
    String serialNumber, String group, boolean accessible, String problem) {}
