/**
 * What every HTTP boundary shares: {@code Problems} (the one error shape of the API), {@code
 * JsonBodies} and {@code BodyLimit} (request bodies), {@code Page} (offset and limit), {@code
 * OriginPolicy} and {@code SecurityHeaders}, and the mappers of failures no single service owns
 * ({@code UnavailableMapper}, {@code ContainerErrorMapper}). It uses no other Folio package, so
 * every resource and the socket may use it.
 */
package dev.folio.web;
