package io.fiscald.cli;

import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.sim.zimra.FdmsDevice;
import io.fiscald.sim.zimra.FdmsSimulator;
import io.fiscald.sim.zimra.FiscalCounterOrder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl sim zimra}: runs the ZIMRA FDMS simulator (mutual TLS, its own CA) standalone until interrupted. */
@Command(name = "zimra", mixinStandardHelpOptions = true,
    description = {"Run the ZIMRA FDMS Fiscal Device Gateway simulator (HTTPS, mutual TLS, its own CA) until Ctrl-C.",
        "Declare devices with --device so that registerDevice accepts their activation key; see docs/SIMULATORS.md.",
        "Clients must trust the CA certificate it prints (ca.pem in --ca-dir).",
        "", "Example:",
        "  fiscalctl sim zimra --listen 127.0.0.1:8443 --ca-dir /tmp/fdms --device 30199:SN-001:ABC12345"})
final class SimZimraCommand extends BaseCommand {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8443",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(names = "--device", paramLabel = "ID:SERIAL:KEY[:offline]",
      description = "Declare a device with its activation key (repeatable; default 30199:SN-001:ABC12345).")
  List<String> devices = new ArrayList<>();

  @Option(names = "--ca-dir", paramLabel = "DIR",
      description = "Keep the CA and FDMS signing key here (created on first use) so clients can keep trusting it.")
  Path caDir;

  @Option(names = "--state", paramLabel = "FILE",
      description = "Keep devices, certificates, days and receipts in this JSON file across restarts.")
  Path stateFile;

  @Option(names = "--counter-order", paramLabel = "ORDER", defaultValue = "RECOMMENDED",
      description = "Fiscal counter order for the closeDay signature: RECOMMENDED or AS_SENT (default ${DEFAULT-VALUE}).")
  FiscalCounterOrder counterOrder;

  @Override
  int run() throws IOException, InterruptedException {
    InetSocketAddress address = ApiConfig.parseListen(listen);
    List<FdmsDevice> declared = new ArrayList<>();
    for (String d : devices.isEmpty() ? List.of("30199:SN-001:ABC12345") : devices) {
      String[] p = d.split(":");
      boolean ok = (p.length == 3 || (p.length == 4 && p[3].equalsIgnoreCase("offline")))
          && p[0].matches("\\d{1,9}") && !p[1].isBlank() && p[1].length() <= 20 && p[2].length() == 8;
      if (!ok) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--device must be ID:SERIAL:KEY[:offline] with an "
            + "8-symbol activation key, e.g. 30199:SN-001:ABC12345; was " + d, Map.of("field", "device"));
      }
      declared.add(FdmsDevice.builder(Integer.parseInt(p[0]), p[1], p[2])
          .operatingMode(p.length == 4 ? FdmsDevice.OFFLINE : FdmsDevice.ONLINE).build());
    }
    FdmsSimulator.Options.Builder options = FdmsSimulator.Options.builder()
        .host(address.getAddress().getHostAddress()).port(address.getPort()).counterOrder(counterOrder).caDirectory(caDir).stateFile(stateFile);
    FdmsSimulator sim = FdmsSimulator.start(options.build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }, "fdms-sim-shutdown"));
    for (FdmsDevice d : declared) {
      if (sim.device(d.deviceID()).isEmpty()) {
        sim.addDevice(d);
      }
    }
    Path caPem = caDir != null ? caDir.resolve("ca.pem") : Files.createTempFile("fdms-sim-ca", ".pem");
    if (caDir == null) {
      Files.writeString(caPem, sim.caCertificatePem());
    }
    List<Map<String, Object>> deviceViews = new ArrayList<>();
    for (FdmsDevice d : declared) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("deviceID", d.deviceID());
      v.put("deviceSerialNo", d.deviceSerialNo());
      v.put("activationKey", d.activationKey());
      v.put("operatingMode", d.operatingMode());
      v.put("csrCommonName", sim.expectedCommonName(d));
      deviceViews.add(v);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("baseUrl", sim.baseUrl());
    view.put("caCertificate", caPem.toString());
    view.put("fdmsCertificateThumbprint", sim.fdmsCertificateThumbprint());
    view.put("qrUrl", sim.qrUrl());
    view.put("devices", deviceViews);
    StringBuilder text = new StringBuilder("ZIMRA FDMS simulator listening; Ctrl-C stops it.\n");
    view.forEach((k, v) -> text.append(String.format("%-26s %s%n", k, v)));
    result(view, text.toString());
    stopped.await();
    return 0;
  }
}
