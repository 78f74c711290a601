package io.fiscald.sim.kra;

/**
 * One request as the simulator saw it: where it came, what it answered ({@code resultCd} is {@code null} for
 * non-envelope answers such as 401 or a dropped connection) and which fault, if any, shaped the answer.
 */
public record RecordedRequest(Transport transport, EtimsEndpoint endpoint, String path, String tin, String bhfId,
    int httpStatus, String resultCd, String resultMsg, EtimsFaults.Kind fault) {
}
