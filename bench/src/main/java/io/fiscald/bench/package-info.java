/**
 * Benchmarks and harnesses: JMH benchmarks of the fiscal core and the audit, a load generator for the
 * local API (HdrHistogram latencies), and the crash, fault, bad-input, tamper and disk-full harnesses.
 * Run by {@code fiscalctl bench ...}; {@code mvn verify} runs only a short smoke of each so they cannot rot.
 */
package io.fiscald.bench;
