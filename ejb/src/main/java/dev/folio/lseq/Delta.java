package dev.folio.lseq;

import java.util.List;

/** A batch of operations sent together; applied as a whole or, if any is invalid, not at all. */
public record Delta(List<Operation> operations) {

    public Delta {
        operations = List.copyOf(operations);
    }

    public static Delta of(Operation... operations) {
        return new Delta(List.of(operations));
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    public int size() {
        return operations.size();
    }
}
