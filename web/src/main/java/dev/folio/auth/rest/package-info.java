/**
 * Authentication over HTTP: {@code AuthResource} ({@code /api/auth}: sign in, refresh with the
 * HTTP-only cookie, sign out), {@code BearerAuthentication} (the filter that makes every other
 * API call's bearer token a {@code Caller}, or refuses it), {@code Callers} (that caller, for
 * resources) and {@code UsersResource} (the people documents can be shared with). It uses auth,
 * access and {@code dev.folio.web}.
 */
package dev.folio.auth.rest;
