package dev.folio.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
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
     * The class's documents go when it ends: every test class creates them as the same users, and
     * the suite would otherwise reach a user's document limit (500) as the suite grows.
     */
    @AfterAll
    static void deleteTheClassesDocuments() throws Exception {
        stack.restartStoppedNodes();
        Api.deleteCreated();
    }

    /**
     * A test that stops or kills a node and fails before starting it again would otherwise fail
     * every later test with a refused connection.
     */
    @BeforeEach
    void startNodesAnEarlierTestLeftDown() throws Exception {
        stack.restartStoppedNodes();
    }

    /**
     * Every client makes {@code edits} random edits at once, each from its own seeded random
     * ({@code seed} + its index), with short pauses now and then; returns once all are acknowledged.
     */
    static void editConcurrently(List<EditorClient> clients, int edits, long seed) throws Exception {
        ExecutorService editors = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<?>> editing = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                EditorClient client = clients.get(i);
                Random random = new Random(seed + i);
                editing.add(editors.submit(() -> {
                    for (int edit = 0; edit < edits; edit++) {
                        client.randomEdit(random);
                        if (random.nextInt(4) == 0) {
                            Thread.sleep(random.nextInt(5));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : editing) {
                future.get();
            }
        } finally {
            editors.shutdown();
        }
        for (EditorClient client : clients) {
            client.awaitAcknowledged();
        }
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
