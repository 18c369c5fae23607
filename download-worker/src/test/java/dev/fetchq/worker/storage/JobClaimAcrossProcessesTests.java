package dev.fetchq.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims exclude each other across processes, as workers sharing a storage volume are: another JVM
 * holds a job's claim, this one cannot take it until that JVM gives it up or dies.
 */
class JobClaimAcrossProcessesTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @TempDir Path root;

  @Test
  void aClaimHeldByAnotherProcessIsBusyUntilThatProcessLetsGo() throws Exception {
    Process holder = startHolder();
    try (var storage = new FileStorage(new StorageProperties(root))) {
      assertThat(storage.claim(JOB, Duration.ofMillis(200))).isEmpty();
      // Another job is free.
      assertThat(storage.claim(UUID.randomUUID(), Duration.ZERO))
          .isPresent()
          .get()
          .satisfies(JobClaim::close);

      holder.getOutputStream().close(); // tells it to give the claim up and exit
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

      var claim = storage.claim(JOB, Duration.ofSeconds(5));
      assertThat(claim).isPresent();
      claim.get().close();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void theClaimOfAProcessThatCrashedIsFreeAtOnce() throws Exception {
    Process holder = startHolder();
    try (var storage = new FileStorage(new StorageProperties(root))) {
      assertThat(storage.claim(JOB, Duration.ZERO)).isEmpty();

      holder.destroyForcibly(); // kill -9
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

      var claim = storage.claim(JOB, Duration.ofSeconds(5));
      assertThat(claim).isPresent();
      claim.get().close();
    } finally {
      holder.destroyForcibly();
    }
  }

  /** A JVM running {@link Holder}, once it holds the claim. */
  private Process startHolder() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    var process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                root.toString(),
                JOB.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    var out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    do {
      line = out.readLine();
    } while (line != null && !line.equals("claimed"));
    assertThat(line).as("the holder's report that it holds the claim").isEqualTo("claimed");
    return process;
  }

  /** Claims a job, says so, and holds it until its standard input ends. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (var storage = new FileStorage(new StorageProperties(Path.of(args[0])));
          var claim = storage.claim(UUID.fromString(args[1]), Duration.ZERO).orElseThrow()) {
        System.out.println("claimed");
        System.out.flush();
        while (System.in.read() != -1) {
          // hold the claim until stdin closes
        }
      }
    }
  }
}
