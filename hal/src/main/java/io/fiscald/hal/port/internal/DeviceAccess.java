package io.fiscald.hal.port.internal;

import io.fiscald.hal.port.PortUnavailableException;
import io.fiscald.hal.port.PortUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** Checks a device file before opening it, so "permission denied" comes with the group fix in plain words. */
public final class DeviceAccess {
  private DeviceAccess() {}

  /** Throws {@link PortUnavailableException} when {@code path} is missing or this user may not read and write it. */
  public static void require(String path) {
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new PortUnavailableException(path, Reason.NOT_FOUND, "no device at " + path
          + ": is it plugged in and powered on? (serial adapters: ls -l /dev/serial/by-id/)", null);
    }
    if (!Files.isReadable(p) || !Files.isWritable(p)) {
      throw new PortUnavailableException(path, Reason.PERMISSION_DENIED, permissionAdvice(path), null);
    }
  }

  /** Why this user cannot open {@code path} and how to fix it, or empty when it can. */
  public static Optional<String> problem(String path) {
    try {
      require(path);
      return Optional.empty();
    } catch (PortUnavailableException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The group that owns {@code path}, when the file system tells. */
  public static Optional<String> group(String path) {
    try {
      return Optional.of(Files.readAttributes(Path.of(path), PosixFileAttributes.class).group().getName());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  static String permissionAdvice(String path) {
    String user = System.getProperty("user.name");
    try {
      PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
      String group = a.group().getName();
      return "permission denied on " + path + " (owner " + a.owner().getName() + ", group " + group + ", "
          + PosixFilePermissions.toString(a.permissions()) + "): the user '" + user + "' is not in the group '"
          + group + "'. Fix: sudo usermod -aG " + group + " " + user
          + ", then log out and back in (or restart fiscald) so the new group takes effect";
    } catch (IOException | UnsupportedOperationException e) {
      return "permission denied on " + path + " for user '" + user + "'";
    }
  }
}
