package com.headcount.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The one synthesis every template test shares (it takes most of the module's test time): the app as
 * {@code cdk synth} builds it (stage dev, today's handlers), and a production stage with every option turned on and
 * the statistics clock issue 9 will add, so their boxes are checked before they land.
 */
final class Synthesised {


    static final Repository REPOSITORY = Repository.here();
    static final HeadcountStack DEV;
    static final HeadcountStack PROD;
    static final Template DEV_TEMPLATE;
    static final Template PROD_TEMPLATE;

    static {
        App app;
        try {
            // one folder, emptied first: each synthesis stages a copy of the 11 MB jar
            Path outdir = Path.of("target/test-cdk.out");
            if (Files.exists(outdir)) {
                try (var old = Files.walk(outdir)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            app = App.Builder.create().outdir(Files.createDirectories(outdir).toString()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DEV = HeadcountApp.synthesise(app, REPOSITORY);
        StageSettings prod = StageSettings.from(Map.<String, Object>of(
                "stage", "prod", "streamMode", "provisioned", "scansShards", "4", "ingestEnhancedFanOut", "true",
                "jwtIssuer", "https://id.example.org/", "jwtAudience", "headcount-api",
                "dashboardOrigins", "https://ops.example.org", "alarmEmail", "ops@example.org",
                "webhooks", "ops https://hooks.example.org/headcount gala,fair; sponsor https://sponsor.example.com/in fair")::get);
        PROD = new HeadcountStack(app, "Headcount-prod", StackProps.builder().build(), prod,
                Handlers.TODAY, REPOSITORY.functionsJar(),
                REPOSITORY.apiScopes());
        app.synth();
        DEV_TEMPLATE = Template.fromStack(DEV);
        PROD_TEMPLATE = Template.fromStack(PROD);
    }

    private Synthesised() {}

    /** The properties of every resource of a type. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> properties(Template template, String type) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object resource : template.findResources(type).values()) {
            Object props = ((Map<String, Object>) resource).get("Properties");
            all.add(props == null ? Map.of() : (Map<String, Object>) props);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources(Template template, String type) {
        return (Map<String, Object>) (Map<String, ?>) template.findResources(type);
    }

    static String logicalId(IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return element.getStack().getLogicalId(element);
    }

    /** What a token (an ARN, a name) becomes in the template. */
    static Object resolved(HeadcountStack stack, Object token) {
        return stack.resolve(token);
    }
}
