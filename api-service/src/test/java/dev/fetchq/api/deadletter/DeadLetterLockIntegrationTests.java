package dev.fetchq.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.fetchq.api.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** One dead-letter operation at a time, whichever replica (here: lock instance) runs it. */
class DeadLetterLockIntegrationTests extends ApiIntegrationTest {

  @Autowired DataSource dataSource;

  @Test
  void aSecondOperationWaitsForTheFirstAndGivesUpWith503() throws Exception {
    var replicaA = lock(Duration.ofSeconds(5));
    var replicaB = lock(Duration.ofMillis(300));
    var holding = new CountDownLatch(1);
    var release = new CountDownLatch(1);

    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                replicaA.call(
                    () -> {
                      holding.countDown();
                      await(release);
                      return "first";
                    }));
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatExceptionOfType(ErrorResponseException.class)
        .isThrownBy(() -> replicaB.call(() -> "second"))
        .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));

    CompletableFuture<String> waiting =
        CompletableFuture.supplyAsync(() -> lock(Duration.ofSeconds(5)).call(() -> "third"));
    Thread.sleep(200);
    assertThat(waiting).isNotDone();
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("third");
  }

  @Test
  void aFailedOperationReleasesTheLock() {
    var lock = lock(Duration.ofMillis(300));

    assertThatExceptionOfType(IllegalStateException.class)
        .isThrownBy(
            () ->
                lock.call(
                    () -> {
                      throw new IllegalStateException("boom");
                    }));

    assertThat(lock.call(() -> "again")).isEqualTo("again");
  }

  private DeadLetterLock lock(Duration timeout) {
    return new DeadLetterLock(
        dataSource,
        new DeadLetterProperties(10_000, Duration.ofMillis(100), timeout, Duration.ofSeconds(1)));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
