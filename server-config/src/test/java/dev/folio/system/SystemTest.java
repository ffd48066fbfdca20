package dev.folio.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A test of the running system: the shared stack, started once, and its REST API. */
abstract class SystemTest {

    static FolioStack stack;
    static Api api;

    @BeforeAll
    static void startStack() throws Exception {
        stack = FolioStack.shared();
        api = new Api(stack.http());
    }

    /**
     * A test that stops or kills a node and fails before starting it again would otherwise fail
     * every later test with a refused connection.
     */
    @BeforeEach
    void startNodesAnEarlierTestLeftDown() throws Exception {
        stack.restartStoppedNodes();
    }

    /** Whether {@code part}'s characters appear in {@code whole} in the same order. */
    static boolean isSubsequence(String part, String whole) {
        int at = 0;
        for (int i = 0; i < whole.length() && at < part.length(); i++) {
            if (whole.charAt(i) == part.charAt(at)) {
                at++;
            }
        }
        return at == part.length();
    }
}
