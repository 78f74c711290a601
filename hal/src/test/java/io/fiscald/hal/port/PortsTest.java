package io.fiscald.hal.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.sim.printer.SocatPair;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transports over real pseudo-terminals (socat) and real loopback sockets. */
class PortsTest {
  private static final Duration SHORT = Duration.ofMillis(200);

  @TempDir Path tmp;

  private static void assumeSocat() {
    if (!SocatPair.available()) {
      System.err.println("*** SKIPPED: socat is not installed; pty transport tests need it (apt-get install socat) ***");
    }
    Assumptions.assumeTrue(SocatPair.available(), "socat is not installed");
  }

  private static String read(Port p, int n) {
    byte[] all = new byte[n];
    int got = 0;
    byte[] buf = new byte[n];
    while (got < n) {
      int k = p.read(buf, Duration.ofSeconds(5));
      System.arraycopy(buf, 0, all, got, Math.min(k, n - got));
      got += k;
    }
    return new String(all, StandardCharsets.US_ASCII);
  }

  /** "serial" opens the pty through jSerialComm, "file:" as a plain file with the pump thread. */
  @ParameterizedTest
  @ValueSource(strings = {"", "file:"})
  void ptyBothWaysThenTimeoutThenHangUp(String prefix) throws Exception {
    assumeSocat();
    try (SocatPair cable = SocatPair.start(tmp.resolve("a"), tmp.resolve("b"));
        FileChannel other = FileChannel.open(cable.b(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Port port = PortSpec.parse(prefix + cable.a(), SerialSettings.DEFAULT).open();
      port.write("ping".getBytes(StandardCharsets.US_ASCII));
      ByteBuffer in = ByteBuffer.allocate(4);
      while (in.hasRemaining()) {
        other.read(in);
      }
      assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
      other.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
      assertThat(read(port, 4)).isEqualTo("pong");

      assertThatThrownBy(() -> port.read(new byte[1], SHORT)).isInstanceOfSatisfying(PortTimeoutException.class,
          e -> {
            assertThat(e.path()).isEqualTo(cable.a().toString());
            assertThat(e.timeout()).isEqualTo(SHORT);
          });
      assertThat(port.isOpen()).as("a timeout leaves the port usable").isTrue();

      cable.stop();
      assertThatThrownBy(() -> {
        port.read(new byte[1], Duration.ofSeconds(5));
      }).isInstanceOf(PortClosedException.class).hasMessageContaining(cable.a().toString());
      assertThat(port.isOpen()).as("released after the hang-up").isFalse();
      port.close();
    }
  }

  @Test
  void aMissingDeviceIsNotFoundWithAHint() {
    assertThatThrownBy(() -> PortSpec.parse(tmp.resolve("ttyUSB9").toString(), SerialSettings.DEFAULT).open())
        .isInstanceOfSatisfying(PortUnavailableException.class, e -> {
          assertThat(e.reason()).isEqualTo(PortUnavailableException.Reason.NOT_FOUND);
          assertThat(e.getMessage()).contains("plugged in").contains("/dev/serial/by-id");
        });
  }

  @Test
  void tcpWritesReadsTimesOutAndSeesThePeerGo() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Port port = PortSpec.parse("tcp:127.0.0.1:" + server.getLocalPort(), SerialSettings.DEFAULT).open();
      try (Socket peer = server.accept()) {
        port.write("hi".getBytes(StandardCharsets.US_ASCII));
        InputStream in = peer.getInputStream();
        assertThat(new String(in.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("hi");
        OutputStream out = peer.getOutputStream();
        out.write("yo".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(read(port, 2)).isEqualTo("yo");
        assertThatThrownBy(() -> port.read(new byte[1], SHORT)).isInstanceOf(PortTimeoutException.class);
      }
      assertThatThrownBy(() -> port.read(new byte[1], Duration.ofSeconds(5))).isInstanceOf(PortClosedException.class)
          .hasMessageContaining("closed the connection");
      assertThat(port.isOpen()).isFalse();
    }
  }

  @Test
  void aRefusedTcpConnectionSaysWhatToCheck() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    assertThatThrownBy(() -> PortSpec.parse("tcp:127.0.0.1:" + free, SerialSettings.DEFAULT).open())
        .isInstanceOfSatisfying(PortUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(PortUnavailableException.Reason.REFUSED))
        .hasMessageContaining("9100");
  }

  @Test
  void specsParseToTheRightTransport() {
    assertThat(PortSpec.parse("/dev/ttyUSB0", SerialSettings.DEFAULT).kind()).isEqualTo(PortSpec.Kind.SERIAL);
    assertThat(PortSpec.parse("/dev/serial/by-id/usb-Epson-if00", SerialSettings.DEFAULT).kind())
        .isEqualTo(PortSpec.Kind.SERIAL);
    assertThat(PortSpec.parse("/dev/usb/lp0", SerialSettings.DEFAULT).kind()).isEqualTo(PortSpec.Kind.FILE);
    PortSpec tcp = PortSpec.parse("tcp:[::1]:9100", SerialSettings.DEFAULT);
    assertThat(tcp.host()).isEqualTo("::1");
    assertThat(tcp.tcpPort()).isEqualTo(9100);
    assertThatThrownBy(() -> PortSpec.parse("tcp:printer", SerialSettings.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST:PORT");
    assertThat(SerialSettings.DEFAULT.toString()).isEqualTo("9600 8N1 NONE");
  }

  @Test
  void backoffDoublesUpToItsCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(350));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(350));
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
  }
}
