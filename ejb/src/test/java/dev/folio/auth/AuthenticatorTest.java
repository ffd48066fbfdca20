package dev.folio.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The development issuer runs only where other machines cannot sign in with its demo passwords. */
class AuthenticatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost", " 127.0.0.1 "})
    void loopbackAddressesAreNotReachableFromOtherMachines(String address) {
        assertFalse(Authenticator.reachableFromOtherMachines(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.7", "", " ", "no-such-host.invalid"})
    void anyOtherAddressIs(String address) {
        assertTrue(Authenticator.reachableFromOtherMachines(address));
    }
}
