/**
 * The LSEQ sequence CRDT (docs/lseq.md): a {@code Replica} of a document's characters, each with
 * a unique, dense, totally ordered {@code Identifier}; {@code Delta}s of inserts and deletes that
 * converge applied in any order and any number of times; the binary and snapshot codecs. Plain
 * Java: it uses the JDK only (the architecture test checks it, for any subpackage too), so the
 * benchmarks and trace tools run it alone.
 */
package dev.folio.lseq;
