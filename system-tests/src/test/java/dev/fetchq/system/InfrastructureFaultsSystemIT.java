package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import dev.fetchq.testsupport.StoppablePostgres;
import dev.fetchq.testsupport.StoppableRabbit;
import dev.fetchq.testsupport.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker and the database fail under a running fetchq (api-service and two workers as
 * processes): RabbitMQ is stopped and started with {@code rabbitmqctl stop_app}/{@code start_app}
 * under load, PostgreSQL is shut down and started again. These run on a broker and a database of
 * their own (a second RabbitMQ node and PostgreSQL server on this machine, or containers with
 * Docker), so stopping them disturbs no other test.
 */
class InfrastructureFaultsSystemIT {

  private static StoppableRabbit rabbit;
  private static StoppablePostgres postgres;
  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchqOnServicesItMayStop() {
    rabbit = TestServices.stoppableRabbit();
    postgres = TestServices.stoppablePostgres();
    fetchq = FetchqCluster.start("faults", rabbit.endpoint(), postgres.endpoint());
  }

  @AfterAll
  static void stop() {
    if (fetchq != null) {
      fetchq.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void underLoadTheBrokerStopsAndStartsAndEveryJobStillEndsExactlyOnce() {
    var ledger = new JobLedger(fetchq);
    Instant stoppedAt;
    Instant startedAt;
    Instant loadEnd;
    SteadyLoad load = SteadyLoad.start(fetchq, ledger, 25, 5);
    try {
      sleep(Duration.ofSeconds(4));
      stoppedAt = Instant.now();
      rabbit.stopApp();
      sleep(Duration.ofSeconds(6));
      startedAt = Instant.now();
      rabbit.startApp();
      sleep(Duration.ofSeconds(5));
    } finally {
      load.close();
      loadEnd = Instant.now();
    }
    var duringOutage = load.sentBetween(stoppedAt, startedAt);
    assertThat(load.submissions())
        .as("the api accepts jobs whether the broker is there or not")
        .allSatisfy(s -> assertThat(s.status()).as(s.toString()).isEqualTo(202));
    assertThat(duringOutage).isNotEmpty();

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(ledger::allFinal);
    Duration recovered = SteadyLoad.since(startedAt);
    System.out.printf(
        "broker stop_app for %d ms under 25 POST/s: %d jobs submitted, %d of them while it was"
            + " down, all 202; all jobs final %d ms after start_app (load ended %d ms after it);"
            + " %d files fetched more than once (in flight when it stopped); %s%n",
        Duration.between(stoppedAt, startedAt).toMillis(),
        ledger.size(),
        duringOutage.size(),
        recovered.toMillis(),
        Duration.between(startedAt, loadEnd).toMillis(),
        load.fetchedMoreThanOnce(),
        ledger.statusCounts());
    ledger.assertEverySucceededOnce();
  }

  @Test
  void whilePostgresIsDownTheApiAnswers503AndItRecoversByItself() {
    var ledger = new JobLedger(fetchq);
    // Downloads of ~3 s, in flight while the database is down.
    List<String> running = fetchq.startSlowDownloads("db-down", 6, 600_000, 8_000, ledger);

    Instant stoppedAt = Instant.now();
    postgres.stop();
    Instant startedAt;
    try {
      // Each kind of request twice: the first may meet a pooled connection the shutdown broke
      // mid-transaction, the next one a pool that cannot connect.
      List<FetchqClient.Response> answers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        var content = Content.random(4096, 8_100 + i);
        String path = "/db-down-new-" + System.nanoTime();
        fetchq.origin.route(path, Routes.content(content));
        long sent = System.nanoTime();
        answers.add(fetchq.client.submit(fetchq.origin.url(path).toString(), content.sha256()));
        long posted = System.nanoTime();
        answers.add(fetchq.client.get("/jobs/" + running.get(i)));
        System.out.printf(
            "PostgreSQL down: POST /jobs -> %d after %d ms, GET /jobs/{id} -> %d after %d ms: %s%n",
            answers.get(2 * i).status(),
            (posted - sent) / 1_000_000,
            answers.get(2 * i + 1).status(),
            (System.nanoTime() - posted) / 1_000_000,
            answers.get(2 * i).body());
      }
      for (var response : answers) {
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("detail").asString()).contains("database");
      }
      // The downloads (~3 s) finish while it is down; their events wait in the broker.
      sleep(Duration.ofSeconds(2));
    } finally {
      startedAt = Instant.now();
      postgres.start();
    }

    var content = Content.random(4096, 8_200);
    String path = "/db-back-" + System.nanoTime();
    fetchq.origin.route(path, Routes.content(content));
    String url = fetchq.origin.url(path).toString();
    int refusedAfterStart = 0;
    FetchqClient.Response accepted;
    while ((accepted = fetchq.client.submit(url, content.sha256())).status() != 202) {
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(503);
      assertThat(SteadyLoad.since(startedAt)).isLessThan(Duration.ofSeconds(60));
      refusedAfterStart++;
      sleep(Duration.ofMillis(100));
    }
    Duration toFirstAccepted = SteadyLoad.since(startedAt);
    ledger.submitted(accepted.body().get("id").asString(), content);

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(ledger::allFinal);
    System.out.printf(
        "PostgreSQL down for %d ms with %d downloads running: first job accepted %d ms after it"
            + " started (%d more 503s before); the running jobs' events waited in the broker and all"
            + " jobs were final %d ms after it started; %s; %d rows left in the outbox%n",
        Duration.between(stoppedAt, startedAt).toMillis(),
        running.size(),
        toFirstAccepted.toMillis(),
        refusedAfterStart,
        SteadyLoad.since(startedAt).toMillis(),
        ledger.statusCounts(),
        fetchq.outboxRows());
    ledger.assertEverySucceededOnce();
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
