package com.headcount.core.api;

import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import com.headcount.core.dashboard.TicketIssuer;
import com.headcount.core.dashboard.TooManyDashboards;
import com.headcount.core.decision.Outcome;
import com.headcount.core.stats.StatisticsView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What organisers and viewers read: statistics, alerts and the attendance log (JSON or CSV). */
final class ReportRoutes {

    private static final List<String> CSV_COLUMNS = List.of("scanId", "participantId", "gateId", "timestamp",
            "direction", "method", "outcome", "reason", "detail", "firstScanId", "receivedAt");

    private final StatisticsView statistics;
    private final AttendanceLog attendance;
    private final TicketIssuer tickets;

    ReportRoutes(StatisticsView statistics, AttendanceLog attendance, TicketIssuer tickets) {
        this.statistics = statistics;
        this.attendance = attendance;
        this.tickets = tickets;
    }

    /** A single-use ticket for the dashboards' WebSocket API ({@link TicketIssuer}); never cached. */
    ApiResponse dashboardTicket(ApiRequest r, Caller caller) {
        String eventId = Ids.require("eventId", r.param("eventId"));
        TicketIssuer.Issued issued;
        try {
            issued = tickets.issue(eventId, caller, tokenExpiry(r));
        } catch (TooManyDashboards e) {
            throw Problem.of(429, e.code(), "Too many dashboard tickets", e.getMessage())
                    .with("retryAfterSeconds", e.retryAfterSeconds()).failure();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticket", issued.ticket());
        body.put("eventId", issued.eventId());
        body.put("expiresAt", issued.expiresAt().toString());
        return ApiResponse.json(201, body, Map.of("Cache-Control", "no-store"));
    }

    /** The verified token's {@code exp}: the dashboard's connection must not outlive it. */
    private static java.time.Instant tokenExpiry(ApiRequest r) {
        String exp = r.claims() == null ? null : r.claims().get("exp");
        if (exp == null) return null;
        try {
            return java.time.Instant.ofEpochSecond(Long.parseLong(exp.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    ApiResponse section(ApiRequest r, Caller caller, String section) {
        String eventId = r.eventId(caller, Role.VIEWER);
        Map<String, Object> snapshot = snapshot(eventId);
        Map<String, Object> body = header(snapshot, eventId);
        Object value = snapshot.get(section);
        body.put(section, value == null ? (section.equals("hourly") || section.equals("alerts") ? List.of() : Map.of()) : value);
        return ApiResponse.json(200, body);
    }

    ApiResponse gate(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.VIEWER);
        String gateId = Ids.require("gateId", r.param("gateId"));
        Map<String, Object> snapshot = snapshot(eventId);
        Object gate = snapshot.get("gates") instanceof Map<?, ?> gates ? gates.get(gateId) : null;
        if (gate == null) throw Problem.notFound("gate_not_found", "No statistics for this gate", null).failure();
        Map<String, Object> body = header(snapshot, eventId);
        body.put("gateId", gateId);
        body.put("gate", gate);
        return ApiResponse.json(200, body);
    }

    ApiResponse attendance(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.VIEWER);
        var q = AttendanceQuery.parse(eventId, r.query(), AttendanceQuery.MAX_LIMIT);
        var page = attendance.query(q);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("items", page.records().stream().map(ScanRequests::record).toList());
        body.put("nextCursor", page.lastKey() == null ? null : q.encodeCursor(page.lastKey()));
        return ApiResponse.json(200, body);
    }

    ApiResponse attendanceCsv(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.VIEWER);
        var q = AttendanceQuery.parse(eventId, r.query(), AttendanceQuery.MAX_CSV_LIMIT);
        var page = attendance.query(q);
        StringBuilder csv = new StringBuilder(Csv.line(CSV_COLUMNS));
        for (Outcome o : page.records()) {
            Map<String, Object> m = ScanRequests.record(o);
            List<String> row = new ArrayList<>();
            for (String c : CSV_COLUMNS) row.add(m.get(c) == null ? "" : m.get(c).toString());
            csv.append(Csv.line(row));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/csv; charset=utf-8");
        headers.put("Content-Disposition", "attachment; filename=\"attendance-" + eventId + ".csv\"");
        if (page.lastKey() != null) headers.put("Next-Cursor", q.encodeCursor(page.lastKey()));
        return ApiResponse.text(200, csv.toString(), headers);
    }

    private Map<String, Object> snapshot(String eventId) {
        return statistics.snapshot(eventId).orElseThrow(() -> Problem.notFound("no_statistics",
                "No statistics yet", "no scan of this event has been counted yet").failure());
    }

    private static Map<String, Object> header(Map<String, Object> snapshot, String eventId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("lastUpdated", snapshot.get("lastUpdated"));
        return body;
    }
}
