package com.headcount;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/architecture.md ("Layering") as a check: the core can be read, tested and benchmarked without
 * AWS, and an adapter can be replaced without touching what it serves.
 */
@AnalyzeClasses(packages = "com.headcount", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreImportsNothingFromAwsTheAdaptersOrTheHandlers = noClasses()
            .that().resideInAPackage("com.headcount.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "software.amazon..", "com.amazonaws..", "com.headcount.adapters..", "com.headcount.handlers..");

    @ArchTest
    static final ArchRule adaptersImportNothingFromTheHandlers = noClasses()
            .that().resideInAPackage("com.headcount.adapters..")
            .should().dependOnClassesThat().resideInAPackage("com.headcount.handlers..");

    /** What every other core package builds on: a scan, the organiser's reference data, time, message names. */
    @ArchTest
    static final ArchRule theCoresFoundationsImportNoneOfWhatIsBuiltOnThem = noClasses()
            .that().resideInAnyPackage("com.headcount.core.scan..", "com.headcount.core.reference..",
                    "com.headcount.core.time..", "com.headcount.core.messages..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.headcount.core.access..", "com.headcount.core.alerts..", "com.headcount.core.api..",
                    "com.headcount.core.dashboard..", "com.headcount.core.decision..", "com.headcount.core.delivery..",
                    "com.headcount.core.forecast..", "com.headcount.core.stats..");

    /**
     * An alert is what the statistics raise and the deliveries send: the counting depends on it (the overall item
     * keeps the episodes and the outbox), never the other way, so a new channel or delivery needs no statistics.
     */
    @ArchTest
    static final ArchRule alertsImportNothingFromTheStatistics = noClasses()
            .that().resideInAPackage("com.headcount.core.alerts..")
            .should().dependOnClassesThat().resideInAPackage("com.headcount.core.stats..");

    /** A cycle means neither package can be understood or changed without the other. */
    @ArchTest
    static final ArchRule theCorePackagesHaveNoCycles = slices()
            .matching("com.headcount.core.(*)..")
            .should().beFreeOfCycles();

}
