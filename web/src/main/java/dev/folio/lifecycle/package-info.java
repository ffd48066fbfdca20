/**
 * {@code SaveOnShutdown}: writes every open document's snapshot when the application stops,
 * because Payara Micro never calls {@code @PreDestroy} on EJBs (payara/Payara#4573). It uses the
 * document manager only.
 */
package dev.folio.lifecycle;
