/**
 * Replaying recorded editing traces ({@code EditingTrace}, {@code TraceReplay}) through an LSEQ
 * replica: what the core's tests and the benchmarks measure against (server-config/traces). It
 * uses the LSEQ core and Jakarta JSON Processing to read the traces.
 */
package dev.folio.lseq.trace;
