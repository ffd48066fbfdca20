package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local editing by index, and the delivery faults a remote replica must absorb. */
class ReplicaTest {

    final Replica cut = new Replica(2);
    final Replica author = new Replica(1);

    @Test
    void editsByIndexInCodePoints() {
        cut.insert(0, "hello");
        cut.insert(5, " world");
        cut.insert(0, "😀");
        assertEquals("😀hello world", cut.text());
        assertEquals(12, cut.length());
        cut.delete(0, 1);
        cut.delete(5, 6);
        assertEquals("hello", cut.text());
    }

    @Test
    void appliedChangesReportIndexes() {
        Delta typed = author.insert(0, "ab");
        List<TextChange> changes = cut.apply(typed);
        assertEquals(List.of(new TextChange(0, 'a'), new TextChange(1, 'b')), changes);
        assertEquals(List.of(new TextChange(1, -1)), cut.apply(author.delete(1, 1)));
    }

    @Test
    void applyingTwiceChangesNothing() {
        Delta typed = author.insert(0, "abc");
        cut.apply(typed);
        assertEquals(List.of(), cut.apply(typed));
        Delta deleted = author.delete(1, 1);
        cut.apply(deleted);
        assertEquals(List.of(), cut.apply(deleted));
        assertEquals("ac", cut.text());
    }

    @Test
    void aDeleteThatOvertakesItsInsertIsRemembered() {
        Delta typed = author.insert(0, "abc");
        Delta deleted = author.delete(1, 1);
        assertEquals(List.of(), cut.apply(deleted));
        cut.apply(typed);
        assertEquals("ac", cut.text());
        assertEquals(author.identifiers(), cut.identifiers());
    }

    @Test
    void anInsertRedeliveredAfterItsDeleteStaysDeleted() {
        Delta typed = author.insert(0, "abc");
        cut.apply(typed);
        cut.apply(author.delete(0, 3));
        cut.apply(typed);
        assertEquals("", cut.text());
    }

    @Test
    void forgettingOldDeletesBoundsTheirMemory() {
        cut.apply(author.insert(0, "abcdef"));
        cut.apply(author.delete(0, 2));
        long mark = cut.deleteMark();
        cut.apply(author.delete(0, 2));
        assertEquals(4, cut.tombstoneCount());
        assertEquals(2, cut.forgetDeletesBefore(mark));
        assertEquals(2, cut.tombstoneCount());
        assertEquals(4, cut.deleteMark(), "marks keep counting after forgetting");
        assertEquals("ef", cut.text());
    }

    @Test
    void localEditsUseTheSitesCounter() {
        Replica resumed = new Replica(9, 40, LseqParameters.DEFAULT);
        Delta typed = resumed.insert(0, "ab");
        Insert first = (Insert) typed.operations().get(0);
        assertEquals(9, first.id().site());
        assertEquals(40, first.id().counter());
        assertEquals(42, resumed.nextCounter());
    }

    @Test
    void badLocalEditsAreRefused() {
        cut.insert(0, "ab");
        assertThrows(IndexOutOfBoundsException.class, () -> cut.insert(3, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> cut.delete(1, 2));
        assertThrows(IllegalArgumentException.class, () -> cut.delete(2, -1));
        assertThrows(IllegalArgumentException.class, () -> cut.insert(0, "x\uD800y"));
        assertEquals("ab", cut.text());
    }

    @Test
    void deleteOperationsNameTheIdentifiers() {
        cut.insert(0, "xy");
        Identifier y = cut.identifierAt(1);
        assertEquals(Delta.of(new Delete(y)), cut.delete(1, 1));
        assertTrue(cut.tombstoneCount() == 1);
    }

    /**
     * A client back after a lost ack: its insert was taken by the log and deleted since, and the
     * snapshot it gets neither has the character nor remembers the delete. Put on top again, its
     * pending edits leave that insert out, and keep the rest.
     */
    @Test
    void ownPendingEditsGoOnTopOfASnapshotButForInsertsTheLogHadAndDeleted() {
        Replica client = new Replica(3);
        Delta lostAck = client.insert(0, "x");
        Delta pending = client.insert(1, "y");
        Replica server = new Replica(0);
        server.apply(lostAck);
        server.apply(new Delta(List.of(new Delete(lostAck.operations().get(0).id()))));
        server.forgetDeletesBefore(server.deleteMark());

        Replica back = SnapshotCodec.decode(SnapshotCodec.encode(server), 3, client.nextCounter());
        int logged = back.highestCounter(3);
        assertEquals(0, logged);
        back.reapplyOwn(lostAck, logged);
        back.reapplyOwn(pending, logged);
        assertEquals("y", back.text());
    }
}
