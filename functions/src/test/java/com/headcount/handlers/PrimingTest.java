package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.core.scan.IdRule;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrimingTest {

    @Test
    void theCheckpointRunsTheWarmUpOnceAndRestoringRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        Priming priming = new Priming("TestFunction", runs::incrementAndGet);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        assertEquals(1, runs.get());
    }

    @Test
    void aFailingWarmUpDoesNotFailTheFunctionsStart() {
        Priming priming = new Priming("TestFunction", () -> {
            throw new IllegalStateException("the table is not there yet");
        });
        assertDoesNotThrow(() -> priming.beforeCheckpoint(null));
    }

    @Test
    void thePrimingEventIsOneNoOrganiserCanCreate() {
        assertEquals(false, IdRule.valid(Priming.NO_EVENT));
    }
}
