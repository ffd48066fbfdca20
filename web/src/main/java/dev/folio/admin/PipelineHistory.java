package dev.folio.admin;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last hour of this node's pipeline rates, one sample per tick of the console's feed, for its
 * charts: the oldest sample goes when the hour is full. Thread-safe.
 */
public class PipelineHistory {

    /**
     * One tick on this node: deltas accepted per second, and the mean time of the stages of an ack
     * (in ms, null when no delta went that way in the tick): the send to the broker and the commit
     * ({@code folio.deltas.publish}), the broker's queue ({@code folio.bridge.queued}), and Kafka,
     * from the bridge's send to this node's feed ({@code folio.feed.delay}).
     */
    public record Sample(
            long atMillis, double deltasPerSecond, Double publishMillis, Double brokerMillis, Double kafkaMillis) {}

    private final int capacity;
    private final Deque<Sample> samples;

    public PipelineHistory(int capacity) {
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    public synchronized void add(Sample sample) {
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(sample);
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Every sample, oldest first, as columns (as a chart takes them): {@code {"at": [s...], ...}}. */
    public JsonObject columns() {
        JsonArrayBuilder at = Json.createArrayBuilder();
        JsonArrayBuilder deltas = Json.createArrayBuilder();
        JsonArrayBuilder publish = Json.createArrayBuilder();
        JsonArrayBuilder broker = Json.createArrayBuilder();
        JsonArrayBuilder kafka = Json.createArrayBuilder();
        for (Sample sample : samples()) {
            at.add(sample.atMillis() / 1000.0);
            deltas.add(sample.deltasPerSecond());
            add(publish, sample.publishMillis());
            add(broker, sample.brokerMillis());
            add(kafka, sample.kafkaMillis());
        }
        return Json.createObjectBuilder()
                .add("at", at)
                .add("deltasPerSecond", deltas)
                .add("publishMillis", publish)
                .add("brokerMillis", broker)
                .add("kafkaMillis", kafka)
                .build();
    }

    /** One sample as an object of the same names. */
    public static JsonObject json(Sample sample) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("at", sample.atMillis() / 1000.0)
                .add("deltasPerSecond", sample.deltasPerSecond());
        add(json, "publishMillis", sample.publishMillis());
        add(json, "brokerMillis", sample.brokerMillis());
        add(json, "kafkaMillis", sample.kafkaMillis());
        return json.build();
    }

    private static void add(JsonArrayBuilder column, Double value) {
        if (value == null) {
            column.addNull();
        } else {
            column.add(value);
        }
    }

    private static void add(JsonObjectBuilder json, String name, Double value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}
