/**
 * Signing in and checking tokens: {@code Authenticator} turns a presented access token into a
 * {@code Caller} ({@code TokenVerifier}, jose4j, against {@code TrustedKeys}, then the shared
 * {@code RevocationList}); the development issuer ({@code DevelopmentIssuer}, {@code
 * TokenIssuer}, {@code DemoUsers}) signs people in for local runs and tests; {@code KnownUsers}
 * are the people documents can be shared with; {@code SignInLimit} slows password guessing. It
 * uses access only; the HTTP side is in the web module's {@code dev.folio.auth.rest}.
 */
package dev.folio.auth;
