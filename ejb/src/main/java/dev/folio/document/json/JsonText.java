package dev.folio.document.json;

/**
 * Writes JSON strings into text being built, escaped exactly as JSON-P's generator (Parsson)
 * escapes them: quote, backslash and the control characters, nothing else. For the frames every
 * delta passes through, where building a JSON-P object tree first cost a fifth of a busy node's
 * CPU (docs/benchmarks.md).
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code value} as a JSON string, quotes included. */
    public static StringBuilder appendString(StringBuilder out, CharSequence value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                out.append(c);
                continue;
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.append('"');
    }
}
