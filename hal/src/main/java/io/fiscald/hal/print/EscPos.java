package io.fiscald.hal.print;

/** The ESC/POS command bytes this driver sends (Epson's reference; most thermal printers follow it). */
public final class EscPos {
  private EscPos() {}

  public static final byte ESC = 0x1B;
  public static final byte GS = 0x1D;
  public static final byte DLE = 0x10;
  public static final byte EOT = 0x04;
  public static final byte LF = 0x0A;

  /** ESC @: reset to power-on settings. */
  public static final byte[] INITIALIZE = {ESC, '@'};

  /** DLE EOT n: real-time status; n = 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
  public static byte[] statusQuery(int n) {
    return new byte[] {DLE, EOT, (byte) n};
  }

  /** ESC a n: 0 left, 1 centre, 2 right. */
  public static byte[] align(Align a) {
    return new byte[] {ESC, 'a', (byte) a.ordinal()};
  }

  /** ESC E n: emphasised (bold) on or off. */
  public static byte[] bold(boolean on) {
    return new byte[] {ESC, 'E', (byte) (on ? 1 : 0)};
  }

  /** GS ! n: character size; 0x11 is double width and height. */
  public static byte[] size(boolean doubleSize) {
    return new byte[] {GS, '!', (byte) (doubleSize ? 0x11 : 0x00)};
  }

  /** ESC t n: select character code table n. */
  public static byte[] codeTable(int n) {
    return new byte[] {ESC, 't', (byte) n};
  }

  /** ESC d n: print and feed n lines. */
  public static byte[] feed(int lines) {
    return new byte[] {ESC, 'd', (byte) lines};
  }

  /** GS V m: cut; 0 full, 1 partial. */
  public static byte[] cut(boolean partial) {
    return new byte[] {GS, 'V', (byte) (partial ? 1 : 0)};
  }

  /** ESC p m t1 t2: drawer kick pulse on pin 2 (m=0) or pin 5 (m=1), 50 ms on, 500 ms off. */
  public static byte[] drawerKick(PrintDocument.DrawerPin pin) {
    return new byte[] {ESC, 'p', (byte) (pin == PrintDocument.DrawerPin.PIN_2 ? 0 : 1), 25, (byte) 250};
  }

  /** GS ( L fn 69: print the NV graphics (logo) stored under key code {@code kc1 kc2}, at normal size. */
  public static byte[] printStoredLogo(String key) {
    return new byte[] {GS, '(', 'L', 6, 0, 48, 69, (byte) key.charAt(0), (byte) key.charAt(1), 1, 1};
  }
}
