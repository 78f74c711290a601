package io.fiscald.hal.print;

/** Horizontal alignment of a printed line. */
public enum Align { LEFT, CENTER, RIGHT }
