package com.headcount.bench.coldstart;

/**
 * Which dependency a class comes from, by its package: the shaded jar has lost the jar boundaries. The AWS SDK is
 * split by its own modules (software.amazon.awssdk.X, services by name), since that is where the classes are.
 */
final class Dependencies {

    private Dependencies() {
    }

    static String of(String className) {
        String name = className.replace('/', '.');
        int hidden = name.indexOf("$$Lambda");
        if (hidden > 0) name = name.substring(0, hidden);
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.")) {
            return "JDK";
        }
        if (name.startsWith("com.headcount.bench.")) return "harness (FirstEvent, hello)";
        if (name.startsWith("com.headcount.")) return "headcount " + segment(name, 2);
        if (name.startsWith("software.amazon.awssdk.services.")) return "AWS SDK services." + segment(name, 4);
        if (name.startsWith("software.amazon.awssdk.thirdparty.")) return "AWS SDK thirdparty (shaded Jackson)";
        if (name.startsWith("software.amazon.awssdk.")) return "AWS SDK " + segment(name, 3);
        if (name.startsWith("com.amazonaws.services.lambda.runtime.events")) return "aws-lambda-java-events";
        if (name.startsWith("com.amazonaws.services.lambda.runtime")) return "aws-lambda-java-core";
        if (name.startsWith("com.fasterxml.jackson.jr.")) return "jackson-jr";
        if (name.startsWith("com.fasterxml.jackson.core.")) return "jackson-core";
        if (name.startsWith("org.joda.")) return "joda-time";
        if (name.startsWith("org.crac.")) return "org.crac";
        return segment(name, 0) + "." + segment(name, 1);
    }

    private static String segment(String name, int index) {
        String[] parts = name.split("\\.");
        return index < parts.length - 1 ? parts[index] : "(default)";
    }
}
