package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** Issue 19 point 5 in the template: a secret per receiver, only its ARN in the function, read by that function alone. */
class WebhooksTemplateTest {

    @Test
    void eachReceiverHasASecretOfItsOwnAndOnlyTheDeliveryFunctionMayReadExactlyThose() {
        var secrets = PROD_TEMPLATE.findResources("AWS::SecretsManager::Secret");
        Set<String> names = new TreeSet<>();
        for (var s : secrets.values()) {
            var props = (Map<?, ?>) ((Map<?, ?>) s).get("Properties");
            names.add(String.valueOf(props.get("Description")).replaceAll(".*receiver (\\S+);.*", "$1"));
            assertTrue(props.containsKey("GenerateSecretString"), "generated, never written in the template: " + props);
            assertFalse(props.containsKey("SecretString"), props.toString());
        }
        assertEquals(Set.of("ops", "sponsor"), names);

        List<Object> granted = new ArrayList<>();
        List<Object> holders = new ArrayList<>();
        for (var policy : Synthesised.properties(PROD_TEMPLATE, "AWS::IAM::Policy")) {
            for (Map<?, ?> st : statements(policy)) {
                List<?> actions = asList(st.get("Action"));
                if (actions.stream().anyMatch(a -> String.valueOf(a).startsWith("secretsmanager:"))) {
                    assertEquals(List.of("secretsmanager:GetSecretValue"), actions);
                    granted.addAll(asList(st.get("Resource")));
                    holders.add(policy.get("Roles"));
                }
            }
        }
        assertEquals(1, holders.size(), "one statement, one role");
        assertEquals(Set.of(Map.of("Ref", secrets.keySet().toArray()[0]), Map.of("Ref", secrets.keySet().toArray()[1])),
                Set.copyOf(granted), "exactly the receivers' secrets");
        String role = String.valueOf(holders.get(0));
        assertTrue(role.contains("AlertDelivery"), role);
    }

    @Test
    void theFunctionIsGivenSecretArnsAndEventsNeverASecret() {
        for (Template template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            for (var fn : Synthesised.properties(template, "AWS::Lambda::Function")) {
                var env = fn.get("Environment") instanceof Map<?, ?> e ? (Map<?, ?>) e.get("Variables") : Map.of();
                assertFalse(env.containsKey("HEADCOUNT_WEBHOOK_SECRET"), "a secret in an environment variable: " + fn);
                assertFalse(String.valueOf(env).contains("resolve:secretsmanager"), "a secret resolved into the environment");
            }
        }
        String targets = PROD_TEMPLATE.findResources("AWS::Lambda::Function").values().stream()
                .map(f -> (Map<?, ?>) ((Map<?, ?>) f).get("Properties"))
                .map(p -> p.get("Environment") instanceof Map<?, ?> e ? ((Map<?, ?>) e.get("Variables")).get("HEADCOUNT_WEBHOOK_TARGETS") : null)
                .filter(java.util.Objects::nonNull).map(String::valueOf).findFirst().orElseThrow();
        assertTrue(targets.contains("secretId") && targets.contains("https://hooks.example.org/headcount")
                && targets.contains("sponsor") && targets.contains("fair"), targets);
        assertEquals(0, DEV_TEMPLATE.findResources("AWS::SecretsManager::Secret").size(), "no receiver, no secret");
    }

    @Test
    void aPlainHttpReceiverOrOneWithoutEventsIsRefusedAtConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> StageSettings.from(Map.<String, Object>of(
                "webhooks", "ops http://hooks.example.org/x gala")::get));
        assertThrows(IllegalArgumentException.class, () -> StageSettings.from(Map.<String, Object>of(
                "webhooks", "ops https://hooks.example.org/x")::get));
    }

    private static List<Map<?, ?>> statements(Map<String, Object> policy) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object s : asList(((Map<?, ?>) policy.get("PolicyDocument")).get("Statement"))) out.add((Map<?, ?>) s);
        return out;
    }

    private static List<?> asList(Object o) {
        return o instanceof List<?> l ? l : List.of(o);
    }
}
