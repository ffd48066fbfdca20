/**
 * A document's past over HTTP: {@code HistoryResource} (its versions), {@code PastTextResource}
 * (its text at a point) and {@code RestoreResource} (that text made current, as an ordinary
 * edit), under {@code /api/documents/{id}}, for its members; {@code PastPoints} reads the point a
 * request names and {@code PastCalls} holds what the calls share (who may, failures as problems).
 * It calls history, document and access, and uses {@code dev.folio.web} for problems.
 */
package dev.folio.history.rest;
