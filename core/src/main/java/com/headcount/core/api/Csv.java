package com.headcount.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * RFC 4180 CSV, small and strict: fields separated by commas, records by CRLF or LF, a field in double quotes may
 * hold commas, line breaks and doubled quotes. A stray quote inside an unquoted field, text after a closing quote
 * or an unterminated quote is an error with its line number, never a guess.
 */
public final class Csv {

    /** One record as read, with the line it started on (1-based) for error reports. */
    public record Row(int line, List<String> fields) {}

    public static final class Malformed extends RuntimeException {
        private final int line;

        Malformed(int line, String message) {
            super("line " + line + ": " + message, null, false, false);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private Csv() {}

    /** Streams records to {@code sink}; a blank line is skipped. Stops at the first malformed record. */
    public static void read(CharSequence text, int maxFieldChars, Consumer<Row> sink) {
        int i = 0;
        int n = text.length();
        int line = 1;
        if (n > 0 && text.charAt(0) == '\uFEFF') i = 1; // a byte order mark from spreadsheet exports
        while (i < n) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                field.setLength(0);
                if (i < n && text.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= n) throw new Malformed(startLine, "quoted field is not closed");
                        char c = text.charAt(i++);
                        if (c == '"') {
                            if (i < n && text.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n') line++;
                            field.append(c);
                        }
                        if (field.length() > maxFieldChars) throw new Malformed(startLine, "field longer than " + maxFieldChars);
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                        throw new Malformed(line, "text after a closing quote");
                    }
                } else {
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == ',' || c == '\r' || c == '\n') break;
                        if (c == '"') throw new Malformed(line, "quote inside an unquoted field");
                        field.append(c);
                        i++;
                        if (field.length() > maxFieldChars) throw new Malformed(line, "field longer than " + maxFieldChars);
                    }
                }
                fields.add(field.toString());
                if (i >= n) {
                    endOfRecord = true;
                } else if (text.charAt(i) == ',') {
                    i++;
                } else {
                    if (text.charAt(i) == '\r') {
                        i++;
                        if (i < n && text.charAt(i) != '\n') throw new Malformed(line, "carriage return without line feed");
                    }
                    if (i < n) i++;
                    line++;
                    endOfRecord = true;
                }
            }
            boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
            if (!blank) sink.accept(new Row(startLine, List.copyOf(fields)));
        }
    }

    public static List<Row> readAll(CharSequence text, int maxFieldChars) {
        List<Row> rows = new ArrayList<>();
        read(text, maxFieldChars, rows::add);
        return rows;
    }

    /** Quotes a field when it has to be; a leading = + - @ is prefixed so spreadsheets do not run it as a formula. */
    public static String field(String value) {
        if (value == null) return "";
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) v = "'" + v;
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    public static String line(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(',');
            b.append(field(values.get(i)));
        }
        return b.append("\r\n").toString();
    }
}
