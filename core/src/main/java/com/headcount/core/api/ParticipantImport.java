package com.headcount.core.api;

import com.headcount.core.reference.Participant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads an organiser's participant list (CSV or JSON) row by row and hands valid participants to the store in
 * chunks, so memory stays flat whatever the size. Bad rows do not stop the import: each is reported with its line
 * (CSV) or index (JSON) and why. Ids repeated within one file are refused after their first row, because a batch
 * write must not carry one key twice and the organiser should hear about the clash.
 */
public final class ParticipantImport {

    public static final Set<String> STATUSES = Set.of("active", "inactive", "cancelled");
    /** Enough rows per store call to keep a few batch writes in flight, small enough to stay flat in memory. */
    public static final int CHUNK = 1000;
    /** The report lists this many rejected rows; the count covers all of them. */
    public static final int MAX_LISTED_REJECTIONS = 1000;
    /**
     * The report names this many ignored header columns; the count covers all of them. With the rejections it must
     * fit one DynamoDB item (400 KB): a header row of thousands of columns must not stop the import's status item.
     */
    public static final int MAX_LISTED_IGNORED_COLUMNS = 50;

    public record Rejection(int row, String participantId, String reason) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", row);
            if (participantId != null) m.put("participantId", participantId);
            m.put("reason", reason);
            return m;
        }
    }

    public record Report(int received, int imported, int rejectedCount, List<Rejection> rejected,
                         List<String> ignoredColumns, int ignoredColumnCount) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("received", received);
            m.put("imported", imported);
            m.put("rejectedCount", rejectedCount);
            m.put("rejected", rejected.stream().map(Rejection::toMap).toList());
            m.put("rejectedListTruncated", rejected.size() < rejectedCount);
            if (!ignoredColumns.isEmpty()) {
                m.put("ignoredColumns", ignoredColumns);
                m.put("ignoredColumnCount", ignoredColumnCount);
            }
            return m;
        }
    }

    private final String eventId;
    private int ignoredColumnCount;
    private final Consumer<List<Participant>> store;
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private List<Participant> pending = new ArrayList<>(CHUNK);
    private int received;
    private int imported;
    private int rejectedCount;

    public ParticipantImport(String eventId, Consumer<List<Participant>> store) {
        this.eventId = eventId;
        this.store = store;
    }

    /** CSV with a header row naming at least {@code participantId}; {@code status} defaults to active. */
    public Report fromCsv(CharSequence text) {
        List<String> ignored = new ArrayList<>();
        int[] columns = {-1, -1};
        try {
            Csv.read(text, 256, row -> {
                if (columns[0] < 0) {
                    header(row, columns, ignored);
                    return;
                }
                received++;
                String id = columns[0] < row.fields().size() ? row.fields().get(columns[0]) : null;
                String status = columns[1] >= 0 && columns[1] < row.fields().size() ? row.fields().get(columns[1]) : null;
                accept(row.line(), id, status == null || status.isEmpty() ? Participant.ACTIVE : status);
            });
        } catch (Csv.Malformed e) {
            // the rest of the file cannot be read reliably; what came before is kept and reported
            flush();
            throw Problem.invalidBody("CSV " + e.getMessage()).with("partialReport", report(ignored).toMap()).failure();
        }
        if (columns[0] < 0) throw Problem.invalidBody("CSV: no header row with a participantId column").failure();
        return finish(ignored);
    }

    /** JSON: an array of {participantId, status?}, or {"participants": [...]}. */
    public Report fromJson(byte[] body) {
        Object doc = StrictJson.any(body);
        if (doc instanceof Map<?, ?> m && m.size() == 1 && m.get("participants") instanceof List<?> list) doc = list;
        if (!(doc instanceof List<?> rows)) {
            throw Problem.invalidBody("expected an array of participants or {\"participants\": [...]}").failure();
        }
        int index = 0;
        for (Object row : rows) {
            index++;
            received++;
            if (!(row instanceof Map<?, ?> fields)) {
                reject(index, null, "expected an object");
                continue;
            }
            Object unknown = fields.keySet().stream()
                    .filter(k -> !"participantId".equals(k) && !"status".equals(k)).findFirst().orElse(null);
            Object id = fields.get("participantId");
            Object status = fields.get("status");
            if (unknown != null) {
                reject(index, id instanceof String s ? s : null, StrictJson.printable(String.valueOf(unknown)) + ": unknown field");
            } else if (status != null && !(status instanceof String)) {
                reject(index, id instanceof String s ? s : null, "status: expected one of " + STATUSES);
            } else {
                accept(index, id instanceof String s ? s : null, status == null ? Participant.ACTIVE : (String) status);
            }
        }
        return finish(List.of());
    }

    private void header(Csv.Row row, int[] columns, List<String> ignored) {
        for (int i = 0; i < row.fields().size(); i++) {
            String name = row.fields().get(i).trim();
            if (name.equals("participantId") && columns[0] < 0) columns[0] = i;
            else if (name.equals("status") && columns[1] < 0) columns[1] = i;
            else if (ignoredColumnCount++ < MAX_LISTED_IGNORED_COLUMNS) ignored.add(StrictJson.printable(name));
        }
        if (columns[0] < 0) throw Problem.invalidBody("CSV: the header row has no participantId column").failure();
    }

    private void accept(int row, String id, String status) {
        if (!Ids.valid(id)) {
            reject(row, id == null ? null : StrictJson.printable(id), id == null || id.isEmpty()
                    ? "participantId: missing" : "participantId: expected 1 to 128 letters, digits or . _ : @ -");
        } else if (!STATUSES.contains(status)) {
            reject(row, id, "status: expected one of active, inactive, cancelled");
        } else if (seen.putIfAbsent(id, row) != null) {
            reject(row, id, "participantId: repeated, first in row " + seen.get(id));
        } else {
            pending.add(new Participant(eventId, id, status));
            if (pending.size() == CHUNK) flush();
        }
    }

    private void reject(int row, String id, String reason) {
        rejectedCount++;
        if (rejected.size() < MAX_LISTED_REJECTIONS) rejected.add(new Rejection(row, id, reason));
    }

    private void flush() {
        if (pending.isEmpty()) return;
        store.accept(pending);
        imported += pending.size();
        pending = new ArrayList<>(CHUNK);
    }

    private Report finish(List<String> ignored) {
        flush();
        return report(ignored);
    }

    private Report report(List<String> ignored) {
        return new Report(received, imported, rejectedCount, List.copyOf(rejected), List.copyOf(ignored), ignoredColumnCount);
    }
}
