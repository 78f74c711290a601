package io.fiscald.agent.api;

/** Who made an authenticated API call: the token's name (never the token) and its role. */
public record Caller(String tokenName, Role role) {}
