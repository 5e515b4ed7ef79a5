package com.headcount.adapters.webhook;

import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** A secret's current value by id (its ARN); the error names the id, never a value. */
public final class SecretsManagerSecrets implements Function<String, String> {

    private final SecretsManagerClient client;

    public SecretsManagerSecrets(SecretsManagerClient client) {
        this.client = client;
    }

    @Override
    public String apply(String secretId) {
        String value = client.getSecretValue(b -> b.secretId(secretId)).secretString();
        if (value == null || value.isBlank()) throw new IllegalStateException("secret " + secretId + " holds no string");
        return value;
    }
}
