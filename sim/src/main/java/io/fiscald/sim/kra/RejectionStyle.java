package io.fiscald.sim.kra;

/**
 * How a validation rejection (sequence, arithmetic, ordering, parameters) reaches the client; the sheet (§1.2) says
 * the gateway answers many of them as HTTP 400 with readable text, the envelope (§9) carries them as a resultCd.
 */
public enum RejectionStyle {
  /** HTTP 200, envelope {@code {"resultCd":"910","resultMsg":"<KRA text>",…}}. */
  ENVELOPE_200,
  /** HTTP 400, the same envelope. */
  ENVELOPE_400,
  /** HTTP 400, {@code text/plain} body holding only the KRA text. */
  TEXT_400
}
