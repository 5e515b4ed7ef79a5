package com.headcount.local.testing;

import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One dynalite and one Kinesis emulator (the configured one, {@link KinesisEmulator}) for the whole test run, stopped when the run ends. Tests keep out of each
 * other's way by using their own event ids and streams. Use with {@code @ExtendWith(Emulators.Extension.class)}
 * and take an {@code Emulators} parameter.
 */
public final class Emulators implements AwsEndpoints, ExtensionContext.Store.CloseableResource {

    public final Dynalite dynalite = Dynalite.start();
    public final EmulatorProcess kinesis = KinesisEmulator.configured().start(0, null, null);

    @Override
    public java.net.URI dynamoDb() {
        return dynalite.endpoint();
    }

    @Override
    public java.net.URI kinesis() {
        return kinesis.endpoint();
    }

    @Override
    public void close() {
        dynalite.close();
        kinesis.close();
    }

    public static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Emulators.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(Emulators.class, k -> new Emulators(), Emulators.class);
        }
    }
}
