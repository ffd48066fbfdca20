/**
 * Replaying recorded editing traces ({@code EditingTrace}, {@code TraceReplay}) through an LSEQ
 * replica: what the trace tool ({@code server-config}'s {@code ReplayTraceCommand}), the core's
 * trace tests and the JMH benchmarks measure against (server-config/traces). It uses the LSEQ core
 * and Jakarta JSON Processing to read the traces, which is why it is not part of the core.
 */
package dev.folio.trace;
