package io.fiscald.agent.authority.zimra;

/**
 * How an ECDSA signature is sent to FDMS; the spec is silent (sheet §8), DER is what the JCA makes
 * and what the gateway is reported to accept.
 */
public enum EcdsaEncoding {
  /** ASN.1 DER SEQUENCE {r, s}, first byte 0x30 (default). */
  DER,
  /** 64 bytes: r and s, each 32 bytes big-endian. */
  RAW
}
