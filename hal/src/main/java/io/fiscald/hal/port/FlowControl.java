package io.fiscald.hal.port;

/** Serial flow control: none, hardware (RTS/CTS, what most receipt printers use) or software (XON/XOFF). */
public enum FlowControl { NONE, RTS_CTS, XON_XOFF }
