package dev.folio.lseq;

/**
 * The effect of one applied operation on the text, in code point indexes: what an editor needs to
 * update its view without re-reading the whole text.
 *
 * @param index where the character was inserted or deleted
 * @param codePoint the inserted character, or -1 for a deletion
 */
public record TextChange(int index, int codePoint) {

    public boolean isInsert() {
        return codePoint >= 0;
    }
}
