package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read as text: no image can be built here, so what can break a build without
 * anyone noticing (a module added to the root pom but not copied) is checked instead.
 */
class DockerfileTests {

  private static final String DOCKERFILE = Repository.read("Dockerfile");

  @Test
  void everyModuleOfTheRootPomIsCopiedIntoTheBuild() {
    var copied = copiedPaths();
    for (var module : modules()) {
      assertThat(copied)
          .as("the reactor needs module %s (its sources, or at least its pom.xml)", module)
          .containsAnyOf(module, module + "/pom.xml");
    }
  }

  @Test
  void theComposeServicesAreModulesCopiedWithTheirSources() {
    var copied = copiedPaths();
    for (var service : List.of("api-service", "download-worker")) {
      assertThat(Compose.service(service).path("build").path("args").path("SERVICE").asText())
          .isEqualTo(service);
      assertThat(modules()).contains(service);
      assertThat(copied).contains(service);
    }
  }

  @Test
  void theRuntimeImageRunsTheJvmAsPidOneAndNotAsRoot() {
    assertThat(DOCKERFILE).containsPattern("(?m)^FROM eclipse-temurin:25-jre\\S* *$");
    assertThat(DOCKERFILE).containsPattern("(?m)^FROM eclipse-temurin:25-jdk\\S* AS build$");
    assertThat(Manifests.dockerfileUser()).isEqualTo("10001");
    // Exec form: no shell in between, so the JVM itself receives SIGTERM.
    assertThat(DOCKERFILE)
        .containsPattern(
            "(?m)^ENTRYPOINT \\[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"\\]$");
    assertThat(DOCKERFILE).contains("extract --layers --launcher");
  }

  @Test
  void theJvmSizesItselfFromTheContainerLimit() {
    assertThat(DOCKERFILE)
        .containsPattern("JAVA_TOOL_OPTIONS=\"[^\"]*-XX:MaxRAMPercentage=\\d+")
        .containsPattern("JAVA_TOOL_OPTIONS=\"[^\"]*-XX:\\+ExitOnOutOfMemoryError");
  }

  @Test
  void theBuildContextCarriesNoLocalSecretsButEverythingTheBuildCopies() {
    var ignored =
        Repository.read(".dockerignore")
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    assertThat(ignored).contains(".env", "**/target/", ".git/");
    for (var path : copiedPaths()) {
      assertThat(ignored)
          .as("%s is copied by the Dockerfile", path)
          .noneMatch(
              pattern -> path.equals(pattern.replaceAll("/$", "")) || path.startsWith(pattern));
    }
  }

  private static List<String> modules() {
    var modules = new ArrayList<String>();
    Pattern.compile("<module>([^<]+)</module>")
        .matcher(Repository.read("pom.xml"))
        .results()
        .forEach(m -> modules.add(m.group(1)));
    assertThat(modules).isNotEmpty();
    return modules;
  }

  /** The sources of the COPY instructions that read the build context. */
  private static List<String> copiedPaths() {
    var paths = new ArrayList<String>();
    for (var line : DOCKERFILE.lines().toList()) {
      if (line.startsWith("COPY ") && !line.startsWith("COPY --from")) {
        var words = line.substring(5).trim().split("\\s+");
        for (int i = 0; i < words.length - 1; i++) {
          paths.add(words[i].replaceAll("/$", ""));
        }
      }
    }
    return paths;
  }
}
