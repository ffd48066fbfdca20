package dev.folio.document;

import dev.folio.access.DocumentRole;

/** A document as one of its members sees it in a list: its summary and their role. */
public record SharedDocument(DocumentSummary summary, DocumentRole role) {}
