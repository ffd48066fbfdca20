package dev.folio.document.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import jakarta.json.spi.JsonProvider;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The JSON the server writes by hand for every delta is the JSON that JSON-P would write for it,
 * character for character: clients and the event log read no difference.
 */
class JsonTextTest {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Property(seed = "20261208", tries = 2_000)
    void aStringIsEscapedAsJsonPEscapesIt(@ForAll("anyText") String text) {
        assertEquals(
                JSON.createValue(text).toString(),
                JsonText.appendString(new StringBuilder(), text).toString());
    }

    @Property(seed = "20261208", tries = 500)
    void aDeltaIsWrittenAsItsJsonPTreeWouldBe(@ForAll("edits") List<Edit> edits) {
        Replica replica = new Replica(7);
        for (Edit edit : edits) {
            int at = (int) (edit.where * replica.length());
            Delta delta = edit.insert || replica.length() == 0
                    ? replica.insert(at, edit.text)
                    : replica.delete(Math.min(at, replica.length() - 1), 1);
            assertEquals(JsonDeltaCodec.toJson(delta).toString(), JsonDeltaCodec.encode(delta));
            assertEquals(delta, JsonDeltaCodec.decode(JsonDeltaCodec.encode(delta)), "and it reads back");
        }
    }

    record Edit(boolean insert, double where, String text) {}

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings()
                        .withChars("\"\\\b\f\n\r\t\u0000\u001f\u007f\u2028é😀")
                        .ofMaxLength(20));
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("ab\"\\\n\t\u0001é")
                        .ofMinLength(1)
                        .ofMaxLength(5),
                Arbitraries.of("😀", "a😀\"", "\u2028𝄞"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3));
        return Combinators.combine(
                        Arbitraries.of(true, true, false), Arbitraries.doubles().between(0, 1), text)
                .as(Edit::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(30);
    }
}
