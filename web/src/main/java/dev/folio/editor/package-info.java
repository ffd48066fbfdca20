/**
 * {@code EditorPage}: serves the one static editor page at {@code /documents/{id}}, so that every
 * document has its own address to share, bookmark and reload. Servlet only, no Folio package.
 */
package dev.folio.editor;
