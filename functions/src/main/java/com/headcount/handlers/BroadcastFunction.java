package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.dashboard.Broadcast;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BroadcastFunction: {@code statistics-updates} → every dashboard connected to the record's event
 * ({@link Broadcast}). A record that is not a JSON object is logged and skipped: it can never be sent and must not
 * hold up the shard. A connection that fails costs only its own message; the batch fails (and is retried) only when
 * the connections could not be read.
 */
public final class BroadcastFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final Broadcast broadcast;

    /** Lambda's constructor. */
    public BroadcastFunction() {
        this(Functions.broadcast(Settings.fromEnvironment()));
    }

    public BroadcastFunction(Broadcast broadcast) {
        this.broadcast = broadcast;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Map<String, Object>> messages = new ArrayList<>(records.size());
        int unreadable = 0;
        for (var record : records) {
            try {
                Object value = JSON.std.anyFrom(KinesisRecords.bytes(record.getKinesis().getData()));
                if (value instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> message = (Map<String, Object>) map;
                    messages.add(message);
                } else {
                    unreadable++;
                }
            } catch (IOException | RuntimeException e) {
                unreadable++;
            }
        }
        Broadcast.Result r = broadcast.send(messages);
        WebSocketAnswers.log(context, String.format("{\"msg\":\"broadcast\",\"records\":%d,\"unreadable\":%d,\"events\":%d,"
                        + "\"superseded\":%d,\"connections\":%d,\"delivered\":%d,\"gone\":%d,\"failed\":%d,\"expired\":%d,"
                        + "\"late\":%d}",
                records.size(), unreadable, r.events(), r.superseded(), r.connections(), r.delivered(), r.gone(), r.failed(),
                r.expired(), r.late()));
        return new StreamsEventResponse(List.of());
    }
}
