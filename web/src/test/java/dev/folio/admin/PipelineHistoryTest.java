package dev.folio.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineHistoryTest {

    @Test
    void keepsTheLastSamplesOldestFirst() {
        PipelineHistory history = new PipelineHistory(3);
        for (int i = 1; i <= 5; i++) {
            history.add(new PipelineHistory.Sample(i * 1000L, i, null, 2.0, null));
        }
        assertEquals(
                List.of(3.0, 4.0, 5.0),
                history.samples().stream()
                        .map(PipelineHistory.Sample::deltasPerSecond)
                        .toList());
        JsonObject columns = history.columns();
        assertEquals("[3.0,4.0,5.0]", columns.getJsonArray("at").toString());
        assertEquals("[null,null,null]", columns.getJsonArray("publishMillis").toString(), "no delta: a gap");
        assertEquals("[2.0,2.0,2.0]", columns.getJsonArray("brokerMillis").toString());
    }

    @Test
    void aTicksRatesAreItsCountsOverItsLength() {
        ConsoleFeed.Reading before = new ConsoleFeed.Reading(
                0,
                1_000,
                100,
                new ConsoleFeed.Stage(10, Duration.ofMillis(50)),
                ConsoleFeed.Stage.NONE,
                new ConsoleFeed.Stage(4, Duration.ofMillis(40)));
        ConsoleFeed.Reading after = new ConsoleFeed.Reading(
                2_000_000_000L,
                3_000,
                160,
                new ConsoleFeed.Stage(14, Duration.ofMillis(70)),
                ConsoleFeed.Stage.NONE,
                new ConsoleFeed.Stage(4, Duration.ofMillis(40)));

        PipelineHistory.Sample sample = after.since(before);

        assertEquals(3_000, sample.atMillis());
        assertEquals(30.0, sample.deltasPerSecond(), 1e-9, "60 deltas in 2 s");
        assertEquals(5.0, sample.publishMillis(), 1e-9, "20 ms over 4 publishes");
        assertNull(sample.brokerMillis(), "no timer yet");
        assertNull(sample.kafkaMillis(), "no record in the tick");
    }
}
