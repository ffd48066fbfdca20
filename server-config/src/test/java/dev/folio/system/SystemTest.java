package dev.folio.system;

import org.junit.jupiter.api.BeforeAll;

/** A test of the running system: the shared stack, started once, and its REST API. */
abstract class SystemTest {

    static FolioStack stack;
    static Api api;

    @BeforeAll
    static void startStack() throws Exception {
        stack = FolioStack.shared();
        api = new Api(stack.http());
    }
}
