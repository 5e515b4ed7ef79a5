package com.headcount.core.api;

import com.headcount.core.access.AccessDenied;
import com.headcount.core.access.Caller;
import com.headcount.core.allowlist.AllowListAnswers;
import com.headcount.core.allowlist.AllowListChanges;
import com.headcount.core.dashboard.TicketIssuer;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.UnpublishedScans;
import com.headcount.core.stats.StatisticsView;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API (openapi.yaml): route, check the caller's role in the event, do the work, answer JSON or an RFC 9457
 * problem. A gateway (API Gateway in AWS, the local gateway here) has verified the token and hands its claims in.
 */
public final class AttendanceApi {

    /**
     * What the routes use; built once per execution environment.
     *
     * @param allowListAnswers the gates' allow-lists for staff phones; null where allow-lists are not deployed
     */
    public record Services(Gatekeeper gatekeeper, UnpublishedScans unpublished, EventCatalog events,
                           ParticipantRegistry participants, AttendanceLog attendance, StatisticsView statistics,
                           int maxSyncImportBytes, FailureClassifier failures, Clock clock, TicketIssuer tickets,
                           AllowListChanges allowLists, AllowListAnswers allowListAnswers) {

        public Services {
            allowLists = allowLists == null ? AllowListChanges.NONE : allowLists;
        }

        /** Allow-lists told of changes, and none answered. */
        public Services(Gatekeeper gatekeeper, UnpublishedScans unpublished, EventCatalog events,
                        ParticipantRegistry participants, AttendanceLog attendance, StatisticsView statistics,
                        int maxSyncImportBytes, FailureClassifier failures, Clock clock, TicketIssuer tickets,
                        AllowListChanges allowLists) {
            this(gatekeeper, unpublished, events, participants, attendance, statistics, maxSyncImportBytes, failures,
                    clock, tickets, allowLists, null);
        }

        /** Without allow-lists: nothing is told of changes. */
        public Services(Gatekeeper gatekeeper, UnpublishedScans unpublished, EventCatalog events,
                        ParticipantRegistry participants, AttendanceLog attendance, StatisticsView statistics,
                        int maxSyncImportBytes, FailureClassifier failures, Clock clock, TicketIssuer tickets) {
            this(gatekeeper, unpublished, events, participants, attendance, statistics, maxSyncImportBytes, failures,
                    clock, tickets, AllowListChanges.NONE);
        }
    }

    /** Logs one line about a request that failed on a store, without participant data. */
    public interface Log {
        void line(String json);

        /**
         * The outcomes one request's scans got from the gatekeeper (a stored outcome for a retried scan id too, as a
         * redelivered record on ingest), for the same decision metrics as ingest. Nothing by default.
         */
        default void decided(List<Outcome> outcomes) {}
    }

    private final ScanRoutes scans;
    private final SetupRoutes setup;
    private final ReportRoutes reports;
    private final AllowListRoute allowList;
    private final FailureClassifier failures;

    public AttendanceApi(Services s) {
        this.scans = new ScanRoutes(s.gatekeeper(), s.unpublished());
        this.setup = new SetupRoutes(s.events(), s.participants(), s.maxSyncImportBytes(), s.clock(), s.allowLists());
        this.reports = new ReportRoutes(s.statistics(), s.attendance(), s.tickets());
        this.allowList = new AllowListRoute(s.allowListAnswers(), setup);
        this.failures = s.failures();
    }

    public ApiResponse handle(ApiRequest request, Log log) {
        try {
            Routes.Match match = Routes.match(request.method(), request.path());
            Caller caller = Caller.fromAuthorizerClaims(request.claims());
            tokenPayload(request.header("authorization")).ifPresent(Caller::requireUnambiguous);
            return route(match.route(), request.withParams(match.parameters()), caller, log);
        } catch (Problem.Failure f) {
            return ApiResponse.problem(f.problem(), request.requestId(), Map.of());
        } catch (AccessDenied d) {
            return ApiResponse.problem(Problem.denied(d), request.requestId(), Map.of());
        } catch (RuntimeException e) {
            if (failures.classify(e) != FailureClassifier.Kind.TRANSIENT) throw e;
            log.line("{\"msg\":\"store unavailable\",\"requestId\":\"" + request.requestId() + "\",\"error\":\""
                    + e.getClass().getSimpleName() + "\"}");
            return ApiResponse.problem(Problem.unavailable("a store did not answer"), request.requestId(), Map.of());
        }
    }

    /**
     * The payload of the bearer token the gateway verified (it forwards the header unchanged): the claims as the token
     * has them, before API Gateway turned arrays into strings. Not checked again; the signature was the gateway's.
     */
    private static java.util.Optional<Map<String, Object>> tokenPayload(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return java.util.Optional.empty();
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(StrictJson.object(java.util.Base64.getUrlDecoder().decode(parts[1])));
        } catch (IllegalArgumentException | Problem.Failure notJson) {
            throw Problem.unauthorized("the bearer token's payload is not a JSON object").failure();
        }
    }

    private ApiResponse route(Routes.Route route, ApiRequest r, Caller caller, Log log) {
        return switch (route) {
            case RECORD -> scans.record(r, caller, log);
            case BATCH -> scans.batch(r, caller, log);
            case GET_EVENT -> setup.getEvent(r, caller);
            case PUT_EVENT -> setup.putEvent(r, caller);
            case PUT_GATE -> setup.putGate(r, caller);
            case IMPORT_PARTICIPANTS -> setup.importParticipants(r, caller);
            case GET_IMPORT -> setup.getImport(r, caller);
            case PUT_PARTICIPANT_STATUS -> setup.putParticipantStatus(r, caller);
            case STATS -> reports.section(r, caller, "overall");
            case STATS_GATES -> reports.section(r, caller, "gates");
            case STATS_HOURLY -> reports.section(r, caller, "hourly");
            case STATS_PREDICTIVE -> reports.section(r, caller, "predictive");
            case ALERTS -> reports.section(r, caller, "alerts");
            case DASHBOARD_TICKET -> reports.dashboardTicket(r, caller);
            case STATS_GATE -> reports.gate(r, caller);
            case ATTENDANCE -> reports.attendance(r, caller);
            case ATTENDANCE_CSV -> reports.attendanceCsv(r, caller);
            case ALLOWLIST -> allowList.get(r, caller);
        };
    }
}
