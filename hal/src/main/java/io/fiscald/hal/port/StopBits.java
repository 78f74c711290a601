package io.fiscald.hal.port;

/** Serial stop bits. */
public enum StopBits { ONE, ONE_POINT_FIVE, TWO }
