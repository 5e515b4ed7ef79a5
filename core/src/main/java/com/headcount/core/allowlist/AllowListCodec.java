package com.headcount.core.allowlist;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The allow-list's one serialised form: UTF-8 text, one fact a line, participants sorted by id, so the same list always
 * gives the same bytes and its SHA-256 names it. Compressed with gzip for the wire and the gate's disk (ids such as
 * {@code P-012345} compress about fourfold). The hash is of the uncompressed text, so it does not depend on the
 * compressor. Text rather than JSON: a third smaller before compression and read without a JSON parser, which at
 * 100 000 participants is most of the gate's load time.
 *
 * <pre>
 * headcount-allowlist/1
 * event	evt-1
 * version	42
 * issuedAt	2026-11-26T08:00:00Z
 * start	2026-11-26T09:00:00Z
 * end	2026-11-26T18:00:00Z
 * zone	Europe/Amsterdam
 * clockSkewTolerance	PT2M
 * maxAge	PT2H
 * whenStale	keep_deciding
 * gate	north	active	30
 * statuses	active	cancelled
 * participants	2
 * P-1	0
 * P-2	1
 * </pre>
 */
public final class AllowListCodec {

    public static final String FORMAT = "headcount-allowlist/1";
    /** The cap on what a gate will decompress: 100 000 participants are about 1.2 MB, so 64 MB is a broken or hostile body. */
    static final int MAX_TEXT_BYTES = 64 * 1024 * 1024;

    private AllowListCodec() {}

    public static byte[] canonical(AllowList list) {
        AttendanceEvent e = list.event();
        StringBuilder out = new StringBuilder(64 + list.participantCount() * 12);
        out.append(FORMAT).append('\n');
        line(out, "event", e.eventId());
        line(out, "version", Long.toString(list.version()));
        line(out, "issuedAt", list.issuedAt().toString());
        line(out, "start", e.start().toString());
        line(out, "end", e.end().toString());
        line(out, "zone", e.timeZone().getId());
        line(out, "clockSkewTolerance", e.clockSkewTolerance().toString());
        line(out, "maxAge", list.policy().maxAge().toString());
        line(out, "whenStale", list.policy().whenStale().wireName());
        for (Gate g : list.gates()) {
            out.append("gate\t").append(g.gateId()).append('\t').append(g.active() ? "active" : "inactive")
                    .append('\t').append(g.capacityPerMinute()).append('\n');
        }
        out.append("statuses");
        for (String s : list.statuses()) out.append('\t').append(s);
        out.append('\n');
        line(out, "participants", Integer.toString(list.participantCount()));
        for (int i = 0; i < list.participantCount(); i++) {
            out.append(list.idAt(i)).append('\t').append(list.statusIndexAt(i)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The SHA-256 of the canonical text, lower-case hex: what the cloud announces and the gate checks. */
    public static String sha256(AllowList list) {
        return sha256(canonical(list));
    }

    public static String sha256(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static byte[] gzip(byte[] canonical) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(canonical.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            gz.write(canonical);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_TEXT_BYTES) throw new AllowListIntegrityException("allow-list larger than " + MAX_TEXT_BYTES + " bytes");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new AllowListIntegrityException("allow-list is not gzip: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a compressed list and proves it is the one announced: its text hashes to {@code sha256}, and it is of
     * {@code eventId} at {@code version}. Anything else is refused whole: a gate keeps its old list rather than a wrong one.
     */
    public static AllowList verified(byte[] compressed, String eventId, long version, String sha256) {
        byte[] text = gunzip(compressed);
        String actual = sha256(text);
        if (!actual.equals(sha256)) {
            throw new AllowListIntegrityException("allow-list hash is " + actual + ", announced " + sha256);
        }
        AllowList list = parse(text);
        if (!list.eventId().equals(eventId) || list.version() != version) {
            throw new AllowListIntegrityException("allow-list is of event " + list.eventId() + " v" + list.version()
                    + ", announced " + eventId + " v" + version);
        }
        return list;
    }

    /** Reads the canonical text; refuses anything not exactly in that form (so what was hashed is what is used). */
    public static AllowList parse(byte[] text) {
        try {
            return new Reader(new String(text, StandardCharsets.UTF_8)).read();
        } catch (RuntimeException e) {
            if (e instanceof AllowListIntegrityException) throw e;
            throw new AllowListIntegrityException("allow-list unreadable: " + e.getMessage(), e);
        }
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('\t').append(value).append('\n');
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        AllowList read() {
            if (!FORMAT.equals(next())) throw new AllowListIntegrityException("not a " + FORMAT + " document");
            String eventId = field("event");
            long version = Long.parseLong(field("version"));
            Instant issuedAt = Instant.parse(field("issuedAt"));
            Instant start = Instant.parse(field("start"));
            Instant end = Instant.parse(field("end"));
            ZoneId zone = ZoneId.of(field("zone"));
            Duration skew = Duration.parse(field("clockSkewTolerance"));
            EdgePolicy policy = new EdgePolicy(Duration.parse(field("maxAge")),
                    EdgePolicy.WhenStale.fromWire(field("whenStale")));
            AttendanceEvent event = new AttendanceEvent(eventId, eventId, start, end, zone, skew,
                    AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE);
            List<Gate> gates = new ArrayList<>();
            String line = next();
            while (line.startsWith("gate\t")) {
                String[] f = line.split("\t", -1);
                if (f.length != 4 || !(f[2].equals("active") || f[2].equals("inactive"))) {
                    throw new AllowListIntegrityException("bad gate line: " + line);
                }
                AllowList.requireId(f[1]);
                gates.add(new Gate(eventId, f[1], f[1], f[2].equals("active"), Integer.parseInt(f[3])));
                line = next();
            }
            for (int i = 1; i < gates.size(); i++) {
                if (gates.get(i - 1).gateId().compareTo(gates.get(i).gateId()) >= 0) {
                    throw new AllowListIntegrityException("gates out of order");
                }
            }
            if (!line.startsWith("statuses")) throw new AllowListIntegrityException("expected statuses, got " + line);
            String[] statuses = line.equals("statuses") ? new String[0] : line.substring("statuses\t".length()).split("\t", -1);
            int count = Integer.parseInt(field("participants"));
            // read straight into the list's arrays: the text is sorted, as its hash proved the cloud wrote it
            String[] ids = new String[count];
            byte[] statusOf = new byte[count];
            for (int i = 0; i < count; i++) {
                String p = next();
                int tab = p.indexOf('\t');
                String id = p.substring(0, tab);
                AllowList.requireId(id);
                if (i > 0 && ids[i - 1].compareTo(id) >= 0) {
                    throw new AllowListIntegrityException("participants out of order at " + id);
                }
                int status = Integer.parseInt(p, tab + 1, p.length(), 10);
                if (status < 0 || status >= statuses.length) throw new AllowListIntegrityException("bad status at " + id);
                ids[i] = id;
                statusOf[i] = (byte) status;
            }
            if (at != text.length()) throw new AllowListIntegrityException("text after the last participant");
            for (int i = 1; i < statuses.length; i++) {
                if (statuses[i - 1].compareTo(statuses[i]) >= 0) throw new AllowListIntegrityException("statuses out of order");
            }
            return new AllowList(event, version, issuedAt, policy, gates, ids, statusOf, statuses);
        }

        private String field(String key) {
            String line = next();
            if (!line.startsWith(key + "\t")) throw new AllowListIntegrityException("expected " + key + ", got " + line);
            return line.substring(key.length() + 1);
        }

        private String next() {
            int end = text.indexOf('\n', at);
            if (end < 0) throw new AllowListIntegrityException("allow-list ends early");
            String line = text.substring(at, end);
            at = end + 1;
            return line;
        }
    }
}
