package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.json.JsonDeltaCodec;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * docs/lseq-vectors.json is what this implementation produces for fixed inputs; the JavaScript
 * client is tested against the same file. A change to the algorithm or the encodings that alters
 * any identifier or byte fails here until the vectors are regenerated on purpose, with
 * {@code mvn -pl ejb test -Dtest=LseqVectorsTest -Dfolio.writeVectors=true}, and then fails the
 * browser client's tests until it follows.
 */
class LseqVectorsTest {

    static final Path VECTORS = Path.of(System.getProperty("folio.docs", "../docs"), "lseq-vectors.json");
    static final LseqParameters PARAMETERS = LseqParameters.DEFAULT;

    @Test
    void committedVectorsMatchThisImplementation() throws IOException {
        JsonObject generated = generate();
        if (Boolean.getBoolean("folio.writeVectors")) {
            Files.writeString(VECTORS, pretty(generated));
        }
        assertTrue(Files.exists(VECTORS), "missing " + VECTORS + "; generate with -Dfolio.writeVectors=true");
        JsonObject committed =
                Json.createReader(new StringReader(Files.readString(VECTORS))).readObject();
        assertEquals(committed, generated);
    }

    static JsonObject generate() {
        return Json.createObjectBuilder()
                .add("format", "folio-lseq-vectors-1")
                .add(
                        "parameters",
                        Json.createObjectBuilder()
                                .add("rootBaseBits", PARAMETERS.rootBaseBits())
                                .add("boundary", PARAMETERS.boundary())
                                .add("strategySeed", PARAMETERS.strategySeed()))
                .add("mix32", mix32())
                .add("depths", depths())
                .add("offsets", offsets())
                .add("allocations", allocations())
                .add(
                        "sessions",
                        Json.createArrayBuilder().add(scriptedSession()).add(randomSession(3)))
                .add("binaryDeltas", binaryDeltas())
                .build();
    }

    private static JsonArrayBuilder mix32() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (int input : new int[] {0, 1, -1, 42, 0x4C534551, Integer.MIN_VALUE, 123456789}) {
            out.add(Json.createArrayBuilder().add(input).add(LseqParameters.mix32(input)));
        }
        return out;
    }

    private static JsonArrayBuilder depths() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (int depth = 0; depth <= 24; depth++) {
            out.add(Json.createObjectBuilder()
                    .add("depth", depth)
                    .add("base", PARAMETERS.base(depth))
                    .add("boundaryPlus", PARAMETERS.boundaryPlus(depth)));
        }
        return out;
    }

    private static JsonArrayBuilder offsets() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            int site = random.nextInt(1 << 20);
            int counter = random.nextInt(1 << 30);
            int depth = random.nextInt(30);
            int step = 1 + random.nextInt(PARAMETERS.boundary());
            out.add(Json.createObjectBuilder()
                    .add("site", site)
                    .add("counter", counter)
                    .add("depth", depth)
                    .add("step", step)
                    .add("offset", PARAMETERS.offset(site, counter, depth, step)));
        }
        return out;
    }

    /** Every branch of the allocation: room at the root, copying left, digit 0, following right. */
    private static JsonArrayBuilder allocations() {
        IdentifierAllocator allocator = new IdentifierAllocator(PARAMETERS);
        Identifier[][] cases = {
            {null, null},
            {Identifier.of(5, 1, 0), null},
            {null, Identifier.of(5, 1, 0)},
            {Identifier.of(5, 1, 0), Identifier.of(6, 1, 1)},
            {Identifier.of(5, 1, 0), Identifier.of(5, 2, 0)},
            {null, Identifier.of(1, 1, 0)},
            {null, Identifier.of(0, 1, 0, 1, 1, 1)},
            {Identifier.of(7, 1, 0), Identifier.of(7, 1, 0, 1, 2, 4)},
            {Identifier.of(4095, 1, 0), null},
            {Identifier.of(3, 1, 0, 8190, 2, 5), Identifier.of(4, 1, 1)},
        };
        JsonArrayBuilder out = Json.createArrayBuilder();
        int counter = 0;
        for (Identifier[] pair : cases) {
            int site = 9;
            out.add(Json.createObjectBuilder()
                    .add("left", idOrNull(pair[0]))
                    .add("right", idOrNull(pair[1]))
                    .add("site", site)
                    .add("counter", counter)
                    .add("id", JsonDeltaCodec.toJson(allocator.between(pair[0], pair[1], site, counter++))));
        }
        return out;
    }

    /** Two sites type, delete and exchange deltas; every step's delta and text is recorded. */
    private static JsonObject scriptedSession() {
        Replica one = new Replica(1);
        Replica two = new Replica(2);
        Session session =
                new Session("two sites typing at the same place", new java.util.TreeMap<>(Map.of(1, one, 2, two)));
        Delta hello = session.insert(1, 0, "hello world");
        session.apply(2, hello);
        Delta a = session.insert(1, 5, ",");
        Delta b = session.insert(2, 5, " there");
        session.apply(1, b);
        session.apply(2, a);
        Delta removed = session.delete(2, 0, 1);
        Delta capital = session.insert(2, 0, "H");
        Delta emoji = session.insert(1, 12, "😀");
        session.apply(1, capital); // before the delete it follows: both must still end equal
        session.apply(1, removed);
        session.apply(2, emoji);
        return session.build();
    }

    /** A seeded session among several sites with random edits and crossing deliveries. */
    private static JsonObject randomSession(int sites) {
        Random random = new Random(2024);
        Map<Integer, Replica> replicas = new java.util.TreeMap<>();
        for (int site = 1; site <= sites; site++) {
            replicas.put(site, new Replica(site));
        }
        Session session = new Session("random edits among " + sites + " sites", replicas);
        List<Delta> log = new java.util.ArrayList<>();
        Map<Integer, Integer> delivered = new java.util.HashMap<>();
        for (int step = 0; step < 60; step++) {
            int site = 1 + random.nextInt(sites);
            Replica replica = replicas.get(site);
            if (replica.length() > 0 && random.nextInt(3) == 0) {
                int index = random.nextInt(replica.length());
                log.add(session.delete(site, index, 1 + random.nextInt(Math.min(3, replica.length() - index))));
            } else {
                String text = "abcdefghij".substring(0, 1 + random.nextInt(4));
                log.add(session.insert(site, random.nextInt(replica.length() + 1), text));
            }
            if (random.nextInt(4) == 0) {
                deliverNewestFirst(session, 1 + random.nextInt(sites), log, delivered);
            }
        }
        for (int site : replicas.keySet()) {
            deliverNewestFirst(session, site, log, delivered);
        }
        return session.build();
    }

    /** Delivers what {@code site} has not seen yet, newest first, so deletes overtake inserts. */
    private static void deliverNewestFirst(
            Session session, int site, List<Delta> log, Map<Integer, Integer> delivered) {
        int from = delivered.getOrDefault(site, 0);
        for (int i = log.size() - 1; i >= from; i--) {
            session.apply(site, log.get(i));
        }
        delivered.put(site, log.size());
    }

    private static JsonArrayBuilder binaryDeltas() {
        Replica replica = new Replica(3);
        replica.insert(0, "binary");
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (Delta delta : List.of(replica.insert(3, "ab😀"), replica.delete(1, 3))) {
            out.add(Json.createObjectBuilder()
                    .add("delta", JsonDeltaCodec.toJson(delta))
                    .add("hex", HexFormat.of().formatHex(BinaryDeltaCodec.encode(delta))));
        }
        return out;
    }

    /** Records steps as the JavaScript test replays them: the step, then what it must produce. */
    private static final class Session {
        private final JsonObjectBuilder json = Json.createObjectBuilder();
        private final JsonArrayBuilder steps = Json.createArrayBuilder();
        private final Map<Integer, Replica> replicas;

        Session(String name, Map<Integer, Replica> replicas) {
            this.replicas = replicas;
            json.add("name", name).add("sites", Json.createArrayBuilder(List.copyOf(replicas.keySet())));
        }

        Delta insert(int site, int index, String text) {
            Delta delta = replicas.get(site).insert(index, text);
            record(site, Json.createObjectBuilder().add("insert", index).add("typed", text), delta);
            return delta;
        }

        Delta delete(int site, int index, int count) {
            Delta delta = replicas.get(site).delete(index, count);
            record(site, Json.createObjectBuilder().add("delete", index).add("count", count), delta);
            return delta;
        }

        void apply(int site, Delta delta) {
            replicas.get(site).apply(delta);
            record(site, Json.createObjectBuilder().add("apply", JsonDeltaCodec.toJson(delta)), null);
        }

        private void record(int site, JsonObjectBuilder step, Delta produced) {
            step.add("site", site);
            if (produced != null) {
                step.add("delta", JsonDeltaCodec.toJson(produced));
            }
            steps.add(step.add("text", replicas.get(site).text()));
        }

        JsonObject build() {
            JsonObjectBuilder finals = Json.createObjectBuilder();
            replicas.forEach((site, replica) -> {
                JsonArrayBuilder ids = Json.createArrayBuilder();
                replica.identifiers().forEach(id -> ids.add(JsonDeltaCodec.toJson(id)));
                finals.add(
                        String.valueOf(site),
                        Json.createObjectBuilder()
                                .add("text", replica.text())
                                .add("identifiers", ids)
                                .add("tombstones", replica.tombstoneCount())
                                // The snapshot encoding of docs/lseq.md, base64: what a joining client decodes.
                                .add("snapshot", Base64.getEncoder().encodeToString(SnapshotCodec.encode(replica))));
            });
            return json.add("steps", steps).add("final", finals).build();
        }
    }

    private static JsonValue idOrNull(Identifier id) {
        return id == null ? JsonValue.NULL : JsonDeltaCodec.toJson(id);
    }

    /** Indented JSON, but anything short enough (an identifier, a step) stays on one line. */
    private static String pretty(JsonValue json) {
        StringBuilder out = new StringBuilder();
        pretty(json, "", out);
        return out.append('\n').toString();
    }

    private static void pretty(JsonValue json, String indent, StringBuilder out) {
        String compact = json.toString();
        boolean container = json instanceof jakarta.json.JsonStructure;
        if (!container || compact.length() <= 100) {
            out.append(compact);
            return;
        }
        String inner = indent + "  ";
        boolean object = json.getValueType() == JsonValue.ValueType.OBJECT;
        out.append(object ? "{\n" : "[\n");
        var entries = object
                ? json.asJsonObject().entrySet().stream().toList()
                : json.asJsonArray().stream().map(v -> Map.entry("", v)).toList();
        for (int i = 0; i < entries.size(); i++) {
            out.append(inner);
            if (object) {
                out.append(Json.createValue(entries.get(i).getKey())).append(": ");
            }
            pretty(entries.get(i).getValue(), inner, out);
            out.append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        out.append(indent).append(object ? '}' : ']');
    }
}
