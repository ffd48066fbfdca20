package dev.folio.system;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Starts independent services side by side: the suite waits for the slowest, not for their sum. */
final class InBackground {

    private InBackground() {}

    static <T> CompletableFuture<T> start(Callable<T> starting) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return starting.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The started thing, or the failure that stopped it (unwrapped, so the test report names it). */
    static <T> T await(CompletableFuture<T> started) throws Exception {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
