/**
 * The documents API ({@code /api/documents}): {@code DocumentsResource} (create, list, read,
 * share, delete, each as the caller's role allows), the JAX-RS application {@code
 * FolioApplication}, and the mappers that turn the document service's {@code
 * DocumentUnavailableException} and {@code IncompleteHistoryException} into problem bodies. It
 * calls document, access and auth, and uses {@code dev.folio.web} for bodies, paging and
 * problems.
 */
package dev.folio.document.rest;
