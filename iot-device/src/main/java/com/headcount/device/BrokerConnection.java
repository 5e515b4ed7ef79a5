package com.headcount.device;

import java.nio.file.Path;
import java.util.Objects;

/** Where the gate connects: AWS IoT Core in production, a plain-TCP broker for local runs and tests. */
public sealed interface BrokerConnection {

    /** The MQTT client id; AWS IoT policies match it against the thing name. */
    String clientId();

    /**
     * AWS IoT Core over MQTT 5 with X.509 mutual TLS on port 8883.
     *
     * @param endpoint          the account's device data endpoint ({@code xxxx-ats.iot.<region>.amazonaws.com})
     * @param certificatePath   the gate's certificate (PEM)
     * @param privateKeyPath    the gate's private key (PEM); only its path is ever logged
     * @param certificateAuthorityPath Amazon Root CA (PEM), or null for the system trust store
     * @param thingName         the gate's IoT thing name, used as client id
     */
    record AwsIotCore(String endpoint, Path certificatePath, Path privateKeyPath, Path certificateAuthorityPath,
                      String thingName) implements BrokerConnection {
        public AwsIotCore {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(certificatePath, "certificatePath");
            Objects.requireNonNull(privateKeyPath, "privateKeyPath");
            Objects.requireNonNull(thingName, "thingName");
        }

        @Override
        public String clientId() {
            return thingName;
        }
    }

    /** A local broker without TLS, standing in for IoT Core (docs/architecture.md, "The local stack"). */
    record LocalBroker(String host, int port, String clientId) implements BrokerConnection {
        public LocalBroker {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clientId, "clientId");
        }
    }
}
