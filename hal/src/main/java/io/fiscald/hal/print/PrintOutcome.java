package io.fiscald.hal.print;

/** A job the printer confirmed: its status before and after, and how many bytes went out. */
public record PrintOutcome(PrinterStatus before, PrinterStatus after, int bytes) {}
