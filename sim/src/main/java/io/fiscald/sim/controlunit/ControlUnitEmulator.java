package io.fiscald.sim.controlunit;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial control unit that signs with its own key, speaking the fiscald reference command set over
 * the framed line protocol of docs/FISCAL-MODULES.md, with fault switches: NAK, busy (WAIT), line
 * noise before the answer, a damaged answer, or no answer at all, each for the next n frames.
 *
 * <p>Written from the protocol description, independently of the driver in {@code hal}, so a
 * misreading on either side shows up in the tests between them.
 */
public final class ControlUnitEmulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlUnitEmulator.class);

  static final int STX = 0x02;
  static final int ETX = 0x03;
  static final int ACK = 0x06;
  static final int NAK = 0x15;
  static final int WAIT = 0x16;
  static final int MAX_DATA = 1024;
  static final int GET_INFO = 0x01;
  static final int GET_PUBLIC_KEY = 0x02;
  static final int SIGN = 0x03;

  /** Line noise sent by the garbage switch: a false STX with an impossible length, a false STX with a short one. */
  static final byte[] NOISE = {(byte) 0xff, 0x00, STX, (byte) 0xff, (byte) 0xff, 0x7e, 0x13, 0x37, STX, 0x00};

  // SHA-256 DigestInfo prefix (PKCS#1 v1.5, RFC 8017 §9.2 note 1)
  private static final byte[] SHA256_DIGEST_INFO = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48,
      0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

  private final String name;
  private final InputStream in;
  private final OutputStream out;
  private final KeyPair key;
  private final String serial;
  private final Thread thread;
  private final AtomicInteger nakNext = new AtomicInteger();
  private final AtomicInteger busyNext = new AtomicInteger();
  private final AtomicInteger noiseNext = new AtomicInteger();
  private final AtomicInteger damageNext = new AtomicInteger();
  private final AtomicInteger silentNext = new AtomicInteger();
  private final AtomicInteger dropResponseNext = new AtomicInteger();
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong signatures = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();
  private volatile boolean running = true;
  private byte[] lastRequest;
  private byte[] lastResponse;

  private ControlUnitEmulator(String name, InputStream in, OutputStream out, KeyPair key, String serial) {
    this.name = name;
    this.in = in;
    this.out = out;
    this.key = key;
    this.serial = serial;
    this.thread = new Thread(this::serve, "control-unit-emulator " + name);
    thread.setDaemon(true);
  }

  /** Starts serving on an open stream pair. */
  public static ControlUnitEmulator start(String name, InputStream in, OutputStream out, KeyPair key, String serial) {
    ControlUnitEmulator emulator = new ControlUnitEmulator(name, in, out, key, serial);
    emulator.thread.start();
    return emulator;
  }

  /** Starts serving on a character device, e.g. the unit side of a {@link SocatPtyPair}. */
  public static ControlUnitEmulator onDevice(Path device, KeyPair key, String serial) throws IOException {
    FileInputStream in = new FileInputStream(device.toFile());
    try {
      return start(device.toString(), in, new FileOutputStream(device.toFile()), key, serial);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  public PublicKey publicKey() {
    return key.getPublic();
  }

  public String serial() {
    return serial;
  }

  /** Answer NAK to the next {@code n} frames (they are not executed). */
  public void nakNext(int n) {
    nakNext.set(n);
  }

  /** Answer WAIT (busy, not taken) to the next {@code n} frames. */
  public void busyNext(int n) {
    busyNext.set(n);
  }

  /** Send line noise before each of the next {@code n} responses. */
  public void noiseNext(int n) {
    noiseNext.set(n);
  }

  /** Send each of the next {@code n} responses once with a wrong checksum (a NAK gets the good copy). */
  public void damageNext(int n) {
    damageNext.set(n);
  }

  /** Ignore the next {@code n} frames entirely: no ACK, no response. */
  public void silentNext(int n) {
    silentNext.set(n);
  }

  /** Execute the next {@code n} commands but lose their responses (ACK only), as if the line dropped them. */
  public void dropResponseNext(int n) {
    dropResponseNext.set(n);
  }

  /** Intact frames received, including ones answered NAK/WAIT or ignored. */
  public long framesReceived() {
    return framesReceived.get();
  }

  /** Signatures actually computed; a retransmitted SIGN answered from the cache does not count. */
  public long signatures() {
    return signatures.get();
  }

  /** Requests answered from the cache because they were byte-identical retransmissions. */
  public long replays() {
    return replays.get();
  }

  private void serve() {
    try {
      while (running) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        if (b == STX) {
          onFrameStart();
        } else if (b == NAK && lastResponse != null) {
          write(lastResponse); // the host saw a damaged response: send it again
        }
        // ACK and anything else: nothing to do
      }
    } catch (IOException e) {
      if (running) {
        log.info("control unit emulator on {} stops: {}", name, e.getMessage());
      }
    }
  }

  private void onFrameStart() throws IOException {
    int hi = in.read();
    int lo = in.read();
    if (lo < 0) {
      return;
    }
    int len = (hi << 8) | lo;
    if (len < 2 || len > MAX_DATA + 2) {
      write(new byte[] {NAK});
      return;
    }
    byte[] body = new byte[2 + len];
    body[0] = (byte) hi;
    body[1] = (byte) lo;
    if (in.readNBytes(body, 2, len) < len) {
      return;
    }
    int crcHi = in.read();
    int crcLo = in.read();
    int etx = in.read();
    if (etx != ETX || ((crcHi << 8) | crcLo) != crc16(body)) {
      write(new byte[] {NAK});
      return;
    }
    framesReceived.incrementAndGet();
    if (take(silentNext)) {
      return;
    }
    if (take(nakNext)) {
      write(new byte[] {NAK});
      return;
    }
    if (take(busyNext)) {
      write(new byte[] {WAIT});
      return;
    }
    write(new byte[] {ACK});
    byte[] response;
    if (lastRequest != null && Arrays.equals(lastRequest, body)) {
      replays.incrementAndGet();
      response = lastResponse; // a retransmission: answer again, never execute twice
    } else {
      int seq = body[2] & 0xff;
      int command = body[3] & 0xff;
      response = frame(seq, command, execute(command, Arrays.copyOfRange(body, 4, body.length)));
      lastRequest = body;
      lastResponse = response;
    }
    if (take(dropResponseNext)) {
      return;
    }
    if (take(noiseNext)) {
      write(NOISE);
    }
    if (take(damageNext)) {
      byte[] damaged = response.clone();
      damaged[damaged.length - 2] ^= 0x01; // low CRC byte
      write(damaged);
      return; // the host's NAK gets the intact copy
    }
    write(response);
  }

  private byte[] execute(int command, byte[] data) {
    switch (command) {
      case GET_INFO:
        return ok(("vendor=fiscald-reference\nmodel=CU-EMU-1\nserial=" + serial + "\nfirmware=1.0.0\n")
            .getBytes(StandardCharsets.UTF_8));
      case GET_PUBLIC_KEY:
        return ok(key.getPublic().getEncoded());
      case SIGN:
        if (data.length != 32) {
          return status(0x02, "SIGN takes a 32-byte SHA-256 digest, got " + data.length);
        }
        try {
          byte[] signature = signDigest(data);
          signatures.incrementAndGet();
          return ok(signature);
        } catch (GeneralSecurityException e) {
          return status(0x04, "signing failed: " + e.getMessage());
        }
      default:
        return status(0x01, "unknown command 0x" + Integer.toHexString(command));
    }
  }

  private byte[] signDigest(byte[] digest) throws GeneralSecurityException {
    if (key.getPrivate() instanceof ECPrivateKey) {
      Signature ecdsa = Signature.getInstance("NONEwithECDSA");
      ecdsa.initSign(key.getPrivate());
      ecdsa.update(digest);
      return ecdsa.sign(); // DER, as SHA256withECDSA over the original data
    }
    Signature rsa = Signature.getInstance("NONEwithRSA");
    rsa.initSign(key.getPrivate());
    rsa.update(SHA256_DIGEST_INFO);
    rsa.update(digest);
    return rsa.sign(); // PKCS#1 v1.5 over DigestInfo: SHA256withRSA over the original data
  }

  private static byte[] ok(byte[] payload) {
    byte[] data = new byte[payload.length + 1];
    System.arraycopy(payload, 0, data, 1, payload.length);
    return data;
  }

  private static byte[] status(int status, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[text.length + 1];
    data[0] = (byte) status;
    System.arraycopy(text, 0, data, 1, text.length);
    return data;
  }

  static byte[] frame(int seq, int command, byte[] data) {
    int len = data.length + 2;
    byte[] body = new byte[2 + len];
    body[0] = (byte) (len >>> 8);
    body[1] = (byte) len;
    body[2] = (byte) seq;
    body[3] = (byte) command;
    System.arraycopy(data, 0, body, 4, data.length);
    int crc = crc16(body);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(STX);
    frame.writeBytes(body);
    frame.write(crc >>> 8);
    frame.write(crc & 0xff);
    frame.write(ETX);
    return frame.toByteArray();
  }

  /** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF). */
  static int crc16(byte[] bytes) {
    int crc = 0xffff;
    for (byte value : bytes) {
      crc ^= (value & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
    }
    return crc;
  }

  private static boolean take(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private synchronized void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    try {
      out.close();
    } catch (IOException ignored) {
      // the line is going away anyway
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // idem
    }
  }

  @Override
  public String toString() {
    return "ControlUnitEmulator[" + serial + " on " + name + "]";
  }
}
