package io.fiscald.agent.receipt;

/** The optional buyer: a name and a taxpayer identification number (TIN / KRA PIN). */
public record Buyer(String name, String tin) {}
