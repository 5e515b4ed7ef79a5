package com.headcount.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.AllowListDelta;
import com.headcount.core.allowlist.AllowListTopics;
import com.headcount.core.allowlist.AllowLists;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The allow-list's samples are what the code sends and reads: the list's text parses and hashes to what the answer and
 * the delta announce, the answer is AllowLists' own, the delta reads and writes back unchanged, and the request
 * carries what the topic rule selects.
 */
class AllowListSamplesTest {

    @Test
    void theListTheAnswerAndTheDeltaAgreeAndAreWhatTheCodeWritesAndReads() throws Exception {
        byte[] text = Files.readAllBytes(EventSamplesTest.events().resolve("allowlist/demo-2026-v42.txt"));
        AllowList list = AllowListCodec.parse(text);
        String sha = AllowListCodec.sha256(text);
        assertEquals(sha, AllowListCodec.sha256(list), "the sample is canonical: its text is what the list writes");

        Map<String, Object> answer = read("mqtt/allowlist-answer.json");
        assertEquals(sha, answer.get("sha256"));
        assertEquals(JSON.std.mapFrom(AllowLists.answerJson(list.eventId(), new AllowLists.Published(list.version(), sha),
                URI.create((String) answer.get("url")))), answer);
        assertEquals(JSON.std.mapFrom(AllowLists.answerJson(list.eventId(), new AllowLists.Published(list.version(), sha),
                null)), read("mqtt/allowlist-answer-current.json"));

        byte[] deltaJson = Files.readAllBytes(EventSamplesTest.events().resolve("mqtt/allowlist-delta.json"));
        AllowListDelta delta = AllowListDelta.fromJson(deltaJson);
        assertEquals(sha, delta.sha256());
        assertEquals(list.version(), delta.toVersion());
        assertEquals(list.policy(), delta.policy());
        assertEquals(JSON.std.mapFrom(deltaJson), JSON.std.mapFrom(delta.toJson()));

        Map<String, Object> get = read("mqtt/allowlist-get.json");
        assertEquals(java.util.Set.of("eventId", "haveVersion"), get.keySet());
        assertEquals(true, AllowListTopics.ruleSql("dev").contains(" haveVersion FROM "), "the rule selects the version");
    }

    private static Map<String, Object> read(String sample) throws Exception {
        return JSON.std.mapFrom(Files.readAllBytes(EventSamplesTest.events().resolve(sample)));
    }
}
