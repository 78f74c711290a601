package io.fiscald.bench.reliability;

import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.agent.api.Role;
import io.fiscald.agent.device.DataDirectory;
import io.fiscald.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends thousands of generated malformed and hostile requests (see {@link HostileRequests}) to a
 * {@code fiscalctl serve} child, one at a time, and checks each: never a 5xx, the daemon never dies or
 * stops answering, and a refused request leaves the device's state exactly as it was.
 */
public final class BadInputHarness {
  /** Requests to send, the generator's seed, how to start the daemon, scratch directory. */
  public record Settings(int requests, long seed, List<String> launcher, Path work) {}

  private static final int TIMEOUT_MS = 30_000;

  private BadInputHarness() {}

  public static Report run(Settings s, PrintStream progress) throws Exception {
    Report report = new Report("bad-input");
    report.put("requests", 0).put("seed", s.seed()).put("refused4xx", 0).put("accepted2xx", 0)
        .put("closedWithoutAnswer", 0).put("answers5xx", 0).put("daemonCrashes", 0)
        .put("stateChangedByRefusedRequest", 0);
    BenchDevice device = BenchDevice.create(s.work().resolve("data"));
    DataDirectory dir = device.dir();
    String cashier = device.token("pos", Role.CASHIER);
    String technician = device.token("tech", Role.TECHNICIAN);
    String admin = device.token("boss", Role.ADMIN);
    device.unthrottle(0);
    Path log = s.work().resolve("daemon-stderr.log");
    Map<String, Long> byCategory = new TreeMap<>();
    Map<Integer, Long> byStatus = new TreeMap<>();
    HostileRequests generator = new HostileRequests(s.seed(), cashier, technician, admin);
    DaemonProcess daemon = DaemonProcess.start(s.launcher(), dir.root(), log);
    try (Connection reader = Database.openReadOnly(dir.database())) {
      ApiCaller api = new ApiCaller(daemon.baseUri());
      api.post("v1/day/open", technician, "day-open", "");
      ApiCaller.Answer first = api.post("v1/receipts", cashier, "first-sale", BenchDevice.SALE);
      if (!first.success()) {
        report.violation("a valid sale was refused before the run: " + first.status() + " " + first.body());
      }
      for (int i = 0; i < s.requests(); i++) {
        HostileRequests.Hostile h = generator.next(i);
        StateSnapshot before = StateSnapshot.read(reader);
        int status = send(daemon.baseUri(), h.bytes());
        StateSnapshot after = StateSnapshot.read(reader);
        byCategory.merge(h.category(), 1L, Long::sum);
        byStatus.merge(status, 1L, Long::sum);
        report.put("requests", i + 1);
        if (status == 0) {
          report.add("closedWithoutAnswer", 1);
        } else if (status >= 500) {
          report.add("answers5xx", 1);
          report.violation("request " + i + " (" + h.category() + ") got " + status + "; replay with --seed "
              + s.seed() + ": " + preview(h.bytes()));
        } else if (status >= 200 && status < 300) {
          report.add("accepted2xx", 1);
        } else {
          report.add("refused4xx", 1);
        }
        if ((status < 200 || status >= 300) && !before.equals(after)) {
          report.add("stateChangedByRefusedRequest", 1);
          report.violation("request " + i + " (" + h.category() + ") was refused with " + status
              + " but changed the state: " + before.value() + " -> " + after.value());
        }
        if (!daemon.alive()) {
          report.add("daemonCrashes", 1);
          report.violation("the daemon died at request " + i + " (" + h.category() + "); see " + log);
          daemon = DaemonProcess.start(s.launcher(), dir.root(), log);
          api = new ApiCaller(daemon.baseUri());
        }
        if (progress != null && (i + 1) % 1000 == 0) {
          progress.printf("bad-input: %d/%d requests, %d violation(s)%n", i + 1, s.requests(),
              report.violations().size());
        }
      }
      // still serving real sales after all that
      ApiCaller.Answer last = api.post("v1/receipts", cashier, "last-sale", BenchDevice.SALE);
      if (!last.success()) {
        report.add("daemonCrashes", 1);
        report.violation("a valid sale after the run was refused: " + last.status() + " " + last.body());
      }
    } finally {
      daemon.stop();
    }
    report.put("byStatus", byStatus).put("byCategory", byCategory);
    JournalCheck.verify(dir.database(), Map.of(), report, "after the run");
    return report;
  }

  /** Sends raw bytes on a fresh connection; the status of the answer, 0 when it closed without one. */
  static int send(URI base, byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
        socket.shutdownOutput(); // a lying Content-Length meets the end of the stream, not a wait
      } catch (IOException e) {
        // the server may answer and close before reading a huge request: read its answer anyway
      }
      return readStatus(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      return 0;
    }
  }

  private static int readStatus(InputStream in) throws IOException {
    byte[] line = new byte[64];
    int n = 0;
    try {
      for (int b; n < line.length && (b = in.read()) >= 0 && b != '\n'; ) {
        line[n++] = (byte) b;
      }
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      if (n == 0) {
        return 0; // reset before any answer
      }
    }
    String status = new String(line, 0, n, StandardCharsets.ISO_8859_1);
    if (!status.startsWith("HTTP/1.") || status.length() < 12) {
      return 0;
    }
    try {
      return Integer.parseInt(status.substring(9, 12));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String preview(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1)
        .replace("\r", "\\r").replace("\n", "\\n");
    return bytes.length > 300 ? s + "… (" + bytes.length + " bytes)" : s;
  }
}
