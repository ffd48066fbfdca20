package dev.folio.document;

/** A document as read through the API: its metadata, its text, and its length in code points. */
public record DocumentView(DocumentSummary summary, String text, int length) {}
