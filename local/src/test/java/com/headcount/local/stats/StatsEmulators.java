package com.headcount.local.stats;

import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.KinesisLocal;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One dynalite and one kinesis-local for all statistics tests of a run (a copy of the ingest tests' extension, which
 * is package-private there). Tests keep apart by their own event ids, tables and streams.
 */
final class StatsEmulators implements ExtensionContext.Store.CloseableResource {

    final Dynalite dynalite = Dynalite.start();
    final KinesisLocal kinesis = KinesisLocal.start();

    @Override
    public void close() {
        dynalite.close();
        kinesis.close();
    }

    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == StatsEmulators.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(StatsEmulators.class, k -> new StatsEmulators(), StatsEmulators.class);
        }
    }
}
