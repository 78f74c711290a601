package io.fiscald.hal.port;

/** Serial parity bit. */
public enum Parity { NONE, ODD, EVEN, MARK, SPACE }
