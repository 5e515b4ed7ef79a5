package com.headcount.core.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboards' stores in memory, for the core's unit tests. */
final class InMemoryDashboards implements ConnectTickets, Connections, Quotas {

    final Map<String, Integer> counts = new ConcurrentHashMap<>();

    @Override
    public boolean take(String key, int cap, Instant removeAfter) {
        boolean[] taken = {false};
        counts.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= cap) return now;
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    @Override
    public void release(String key) {
        counts.computeIfPresent(key, (k, n) -> Math.max(0, n - 1));
    }

    final Map<String, ConnectTicket> tickets = new ConcurrentHashMap<>();
    final Map<String, DashboardConnection> connections = new ConcurrentHashMap<>();
    final List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void store(String hash, ConnectTicket ticket, Instant removeAfter) {
        tickets.put(hash, ticket);
    }

    @Override
    public Optional<ConnectTicket> take(String hash) {
        return Optional.ofNullable(tickets.remove(hash));
    }

    @Override
    public void add(DashboardConnection connection) {
        connections.put(connection.connectionId(), connection);
    }

    @Override
    public Optional<DashboardConnection> remove(String connectionId) {
        removed.add(connectionId);
        return Optional.ofNullable(connections.remove(connectionId));
    }

    @Override
    public Optional<DashboardConnection> find(String connectionId) {
        return Optional.ofNullable(connections.get(connectionId));
    }

    @Override
    public Optional<DashboardConnection> subscribe(String connectionId, Set<String> sections) {
        DashboardConnection c = connections.computeIfPresent(connectionId, (id, old) -> new DashboardConnection(id,
                old.eventId(), old.subject(), union(old.sections(), sections), old.connectedAt(), old.expiresAt()));
        return Optional.ofNullable(c);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public List<DashboardConnection> of(String eventId) {
        return connections.values().stream().filter(c -> c.eventId().equals(eventId)).toList();
    }
}
