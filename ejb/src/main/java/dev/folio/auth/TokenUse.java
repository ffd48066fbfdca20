package dev.folio.auth;

/**
 * What a token is for, in its {@code token_use} claim: an access token is never taken to refresh,
 * and a refresh token never opens anything.
 */
public enum TokenUse {
    ACCESS("access"),
    REFRESH("refresh");

    final String claim;

    TokenUse(String claim) {
        this.claim = claim;
    }
}
