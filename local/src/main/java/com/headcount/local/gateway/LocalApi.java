package com.headcount.local.gateway;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.handlers.ApiFunction;
import com.headcount.handlers.ApiSettings;
import com.headcount.handlers.ApiWiring;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.KinesisLocal;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.stack.LocalResources;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP API on the local stack, for curl: dynalite and kinesis-local, the tables and the `attendance-recorded`
 * stream, the real ApiFunction behind {@link LocalApiGateway}. Prints an organiser token for every event and the key
 * to mint others with {@link LocalTokens}. PORT (default 8080) sets the gateway's port.
 */
public final class LocalApi {

    private LocalApi() {}

    public static void main(String[] args) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        var settings = ApiSettings.fromEnvironment();
        Dynalite dynalite = Dynalite.start();
        KinesisLocal kinesisLocal = KinesisLocal.start();
        AwsClients clients = LocalAws.clients(dynalite.endpoint(), kinesisLocal.endpoint());
        LocalResources.createTables(clients.dynamoDb(), settings.shared());
        LocalResources.createStream(clients.kinesis(), settings.shared().attendanceRecordedStream(), 1);
        var function = new ApiFunction(ApiWiring.services(clients.dynamoDb(), clients.kinesis(), settings,
                eventId -> Optional.empty(), clock));
        var tokens = LocalTokens.fromEnvironmentOrRandom(clock);
        int port = Integer.parseInt(Optional.ofNullable(System.getenv("PORT")).orElse("8080"));
        LocalApiGateway gateway = LocalApiGateway.start(port, function, tokens.verifier(), clock);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            kinesisLocal.close();
            dynalite.close();
        }));
        System.out.println("Headcount API on " + gateway.endpoint());
        System.out.println("export HEADCOUNT_LOCAL_JWT_KEY=" + tokens.keyBase64());
        System.out.println("export TOKEN=" + tokens.mint("local-organizer", List.of("organizer"), List.of("*"),
                Duration.ofHours(8)));
        Thread.currentThread().join();
    }
}
