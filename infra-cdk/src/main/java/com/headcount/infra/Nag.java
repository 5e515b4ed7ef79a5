package com.headcount.infra;

import java.util.List;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.constructs.IConstruct;

/** A cdk-nag finding accepted where it arises, always with the reason written next to the choice it concerns. */
final class Nag {

    private Nag() {}

    static void accept(IConstruct construct, String rule, String reason, String... appliesTo) {
        var suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) suppression.appliesTo(List.<Object>of((Object[]) appliesTo));
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()), true);
    }
}
