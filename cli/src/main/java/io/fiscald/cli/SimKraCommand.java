package io.fiscald.cli;

import io.fiscald.agent.api.ApiConfig;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.sim.kra.DeviceInfo;
import io.fiscald.sim.kra.EtimsSimulator;
import io.fiscald.sim.kra.Transport;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl sim kra}: runs the KRA eTIMS simulator standalone until interrupted. */
@Command(name = "kra", mixinStandardHelpOptions = true,
    description = {"Run the KRA eTIMS simulator (OSCU, Apigee gateway with OAuth, VSCU paths) until Ctrl-C.",
        "Declare device serials with --device so that selectInitOsdcInfo accepts them; see docs/SIMULATORS.md.",
        "", "Example:",
        "  fiscalctl sim kra --listen 127.0.0.1:8088 --device P051234567X:00:SN-0001"})
final class SimKraCommand extends BaseCommand {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8088",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(names = "--device", paramLabel = "PIN:BHF:SERIAL",
      description = "Declare a device serial for a PIN and branch (repeatable).")
  List<String> devices = new ArrayList<>();

  @Option(names = "--accept-any-serial",
      description = "Let selectInitOsdcInfo initialise any serial of a declared branch.")
  boolean acceptAnySerial;

  @Option(names = "--rate", paramLabel = "BAND=PERCENT",
      description = "Tax rate of a band in code class 04 (repeatable; default A=0,B=16,C=0,D=0,E=8).")
  Map<String, BigDecimal> rates = new LinkedHashMap<>();

  @Option(names = "--client-id", defaultValue = "fiscald-sim-client", description = "Gateway OAuth client id.")
  String clientId;

  @Option(names = "--client-secret", defaultValue = "fiscald-sim-secret",
      description = "Gateway OAuth client secret.")
  String clientSecret;

  @Option(names = "--apigee-app-id", defaultValue = "fiscald-sim-app",
      description = "Value required in the gateway's apigee_app_id header.")
  String apigeeAppId;

  @Override
  int run() throws IOException, InterruptedException {
    InetSocketAddress address = ApiConfig.parseListen(listen);
    EtimsSimulator.Options options = EtimsSimulator.Options.defaults()
        .host(address.getAddress().getHostAddress()).port(address.getPort())
        .acceptAnySerial(acceptAnySerial).clientCredentials(clientId, clientSecret).apigeeAppId(apigeeAppId);
    try {
      rates.forEach(options::taxRate);
    } catch (IllegalArgumentException e) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--rate: " + e.getMessage(), Map.of("field", "rate"));
    }
    List<String[]> declared = new ArrayList<>();
    for (String d : devices) {
      String[] parts = d.split(":", 3);
      if (parts.length != 3 || parts[0].length() != 11 || parts[1].length() != 2 || parts[2].isBlank()) {
        throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--device must be PIN(11):BHF(2):SERIAL, e.g. "
            + "P051234567X:00:SN-0001; was " + d, Map.of("field", "device"));
      }
      declared.add(parts);
    }
    EtimsSimulator sim = EtimsSimulator.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }, "etims-sim-shutdown"));
    List<Map<String, Object>> deviceViews = new ArrayList<>();
    for (String[] p : declared) {
      DeviceInfo info = sim.registerDevice(p[0], p[1], p[2]);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("tin", info.tin());
      v.put("bhfId", info.bhfId());
      v.put("dvcSrlNo", info.dvcSrlNo());
      v.put("sdcId", info.sdcId());
      deviceViews.add(v);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("baseUrl", sim.baseUrl());
    view.put("oscu", sim.baseUrl(Transport.OSCU));
    view.put("gateway", sim.baseUrl(Transport.GATEWAY));
    view.put("tokenUrl", sim.tokenUrl());
    view.put("vscu", sim.baseUrl(Transport.VSCU));
    view.put("clientId", clientId);
    view.put("apigeeAppId", apigeeAppId);
    view.put("taxRates", sim.taxRates());
    view.put("devices", deviceViews);
    StringBuilder text = new StringBuilder("KRA eTIMS simulator listening; Ctrl-C stops it.\n");
    view.forEach((k, v) -> text.append(String.format("%-12s %s%n", k, v)));
    result(view, text.toString());
    stopped.await();
    return 0;
  }
}
