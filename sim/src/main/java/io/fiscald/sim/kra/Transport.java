package io.fiscald.sim.kra;

/** The three ways a client reaches eTIMS, each served by the simulator under its own base URL (sheet §1, §2, §15.2). */
public enum Transport {
  /** OSCU on the legacy host: flat names under {@code /etims-api/} (sheet §1.1, §2). */
  OSCU,
  /** OSCU through the Apigee gateway: Apigee resource names, Bearer token and {@code apigee_app_id} (sheet §1.2). */
  GATEWAY,
  /** A VSCU on the trader's side: the VSDC path table (sheet §15.2). */
  VSCU
}
