package com.headcount.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy} run this (cdk.json). One stack per stage, checked by cdk-nag. */
public final class HeadcountApp {

    private HeadcountApp() {}

    public static void main(String[] args) {
        App app = new App();
        synthesise(app, Repository.here());
        app.synth();
    }

    /** The app as deployed, on any App (the template tests pass theirs). */
    public static HeadcountStack synthesise(App app, Repository repository) {
        StageSettings settings = StageSettings.from(app.getNode()::tryGetContext);
        HeadcountStack stack = new HeadcountStack(app, "Headcount-" + settings.stage(), StackProps.builder()
                .description("Headcount, stage " + settings.stage() + ": real-time event attendance")
                .build(), settings, Handlers.TODAY, repository.functionsJar(), repository.apiScopes());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }
}
