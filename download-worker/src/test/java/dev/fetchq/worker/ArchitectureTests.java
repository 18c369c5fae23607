package dev.fetchq.worker;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The feature packages depend on each other in one direction only. */
@AnalyzeClasses(
    packages = "dev.fetchq.worker",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresHaveNoCycles =
      slices().matching("dev.fetchq.worker.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("job")
          .definedBy("dev.fetchq.worker.job..")
          .layer("download")
          .definedBy("dev.fetchq.worker.download..")
          .layer("storage")
          .definedBy("dev.fetchq.worker.storage..")
          .layer("events")
          .definedBy("dev.fetchq.worker.events..")
          .layer("cancel")
          .definedBy("dev.fetchq.worker.cancel..")
          .layer("destination")
          .definedBy("dev.fetchq.worker.destination..")
          .whereLayer("job")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("download")
          .mayOnlyBeAccessedByLayers("job")
          .whereLayer("storage")
          .mayOnlyBeAccessedByLayers("download")
          .whereLayer("events")
          .mayOnlyBeAccessedByLayers("job")
          .whereLayer("cancel")
          .mayOnlyBeAccessedByLayers("job")
          .whereLayer("destination")
          .mayOnlyBeAccessedByLayers("download");
}
