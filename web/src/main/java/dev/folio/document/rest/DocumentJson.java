package dev.folio.document.rest;

import dev.folio.document.DocumentSummary;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one JSON form of a document's metadata, which the documents API and the admin API both start
 * from (each adds what it knows besides: the caller's role, members, sessions): id, title, version,
 * createdAt and updatedAt as ISO instants in UTC, and authorId when there is one.
 */
public final class DocumentJson {

    private DocumentJson() {}

    public static JsonObjectBuilder summary(DocumentSummary document) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", document.id().toString())
                .add("title", document.title())
                .add("version", document.version())
                .add("createdAt", utc(document.createdAt()))
                .add("updatedAt", utc(document.updatedAt()));
        if (document.authorId() != null) {
            json.add("authorId", document.authorId().toString());
        }
        return json;
    }

    private static String utc(LocalDateTime time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.toInstant(ZoneOffset.UTC));
    }
}
