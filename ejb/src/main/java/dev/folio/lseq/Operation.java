package dev.folio.lseq;

/** What travels between replicas: one character inserted at, or deleted from, an identifier. */
public sealed interface Operation {

    Identifier id();

    /**
     * Places one Unicode character (a code point, never a lone surrogate) at {@code id}.
     *
     * @throws InvalidDeltaException if the code point is not a Unicode scalar value
     */
    record Insert(Identifier id, int codePoint) implements Operation {
        public Insert {
            if (id == null) {
                throw new InvalidDeltaException("an insert needs an identifier");
            }
            if (!Character.isValidCodePoint(codePoint)
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                throw new InvalidDeltaException("not a Unicode scalar value: " + codePoint);
            }
        }
    }

    /** Removes the character at {@code id}, whether or not it has arrived yet. */
    record Delete(Identifier id) implements Operation {
        public Delete {
            if (id == null) {
                throw new InvalidDeltaException("a delete needs an identifier");
            }
        }
    }
}
