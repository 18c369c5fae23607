package dev.fetchq.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Feature boundaries: which feature may use which, and that a feature's web, persistence and
 * messaging adapters stay internal. A feature's public types are its API; the compiler keeps the
 * rest package-private.
 */
@AnalyzeClasses(packages = "dev.fetchq.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresUseOnlyTheFeaturesTheyNeed =
      layeredArchitecture()
          .consideringOnlyDependenciesInAnyPackage("dev.fetchq.api..")
          .layer("application")
          .definedBy("dev.fetchq.api")
          .layer("job")
          .definedBy("dev.fetchq.api.job..")
          .layer("events")
          .definedBy("dev.fetchq.api.events..")
          .layer("outbox")
          .definedBy("dev.fetchq.api.outbox..")
          .layer("storage")
          .definedBy("dev.fetchq.api.storage..")
          .layer("web")
          .definedBy("dev.fetchq.api.web..")
          .layer("deadletter")
          .definedBy("dev.fetchq.api.deadletter..")
          .layer("security")
          .definedBy("dev.fetchq.api.security..")
          .layer("observability")
          .definedBy("dev.fetchq.api.observability..")
          .whereLayer("application")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("events")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("web")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("deadletter")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("observability")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("job")
          .mayOnlyBeAccessedByLayers("events", "deadletter")
          .whereLayer("outbox")
          .mayOnlyBeAccessedByLayers("job", "deadletter")
          .whereLayer("security")
          .mayOnlyBeAccessedByLayers("job", "deadletter", "web")
          .whereLayer("storage")
          .mayOnlyBeAccessedByLayers("job");

  @ArchTest
  static final ArchRule featuresHaveNoCycles =
      slices().matching("dev.fetchq.api.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule adaptersAreInternal =
      classes()
          .that()
          .areAnnotatedWith(RestController.class)
          .or()
          .areAnnotatedWith(RestControllerAdvice.class)
          .or()
          .areAnnotatedWith(Repository.class)
          .should()
          .notBePublic()
          .because("controllers and repositories are a feature's internals");

  @ArchTest
  static final ArchRule onlyTheOutboxPublishes =
      classes()
          .that()
          .resideOutsideOfPackage("dev.fetchq.api.outbox..")
          .should()
          .onlyDependOnClassesThat()
          .doNotHaveFullyQualifiedName("dev.fetchq.messaging.ConfirmedPublisher")
          .andShould()
          .onlyDependOnClassesThat()
          .doNotHaveFullyQualifiedName("org.springframework.amqp.rabbit.core.RabbitTemplate")
          .because("publishing outside the outbox would be a dual write");

  @ArchTest
  static final ArchRule onlyTheDeadLetterAdminAndTheEventListenerTalkAmqpDirectly =
      classes()
          .that()
          .resideOutsideOfPackages("dev.fetchq.api.deadletter..", "dev.fetchq.api.events..")
          .should()
          .onlyDependOnClassesThat()
          .resideOutsideOfPackage("com.rabbitmq.client..")
          .because(
              "everything else goes through Spring AMQP; the dead-letter admin needs a raw"
                  + " channel to look at the queue without consuming it, and the event listener"
                  + " settles each message of a batch itself (manual acks)");
}
