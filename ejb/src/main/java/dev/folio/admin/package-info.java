/**
 * What administrators do that is a database transaction: {@code Administration} (each action with
 * its audit entry, or neither; a refusal is a {@code RefusedActionException} and changes nothing)
 * and {@code DocumentDirectory} (finding documents across every owner). It uses access, audit,
 * auth and document; the admin API in the web module calls it.
 */
package dev.folio.admin;
