package io.fiscald.sim.zimra.internal;

import io.fiscald.sim.zimra.FdmsSimulator.EcdsaEncoding;
import io.fiscald.sim.zimra.FiscalCounterOrder;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The settings the protocol engine reads, copied once from the public options (read into final fields). */
public record Config(Clock clock, FiscalCounterOrder counterOrder, EcdsaEncoding ecdsa, RoundingMode rounding,
    String csrCommonNameTemplate, List<String> versionHeaderNames, boolean requireModelHeaders,
    int reportingFrequencyMinutes, int taxPayerDayMaxHrs, int taxpayerDayEndNotificationHrs, String qrUrl,
    Duration certificateValidity, Duration closeDelay, Duration futureTolerance, boolean specFileStatusNames,
    int maxFileBytes, Path stateFile) { }
