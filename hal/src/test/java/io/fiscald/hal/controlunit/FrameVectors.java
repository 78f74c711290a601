package io.fiscald.hal.controlunit;

/** Wire vectors of the reference protocol, pinned here and in the emulator's tests (sim). */
final class FrameVectors {
  /** SIGN (0x03), seq 0x2a, digest 00 01 02 … 1f. */
  static final String SIGN_FRAME_HEX = "020022" + "2a03"
      + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + "13fc" + "03";
  /** GET_INFO (0x01), seq 1, no data. */
  static final String GET_INFO_FRAME_HEX = "020002" + "0101" + "c9b0" + "03";

  private FrameVectors() {}
}
