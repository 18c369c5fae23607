package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The SSRF guard in a worker that allows loopback only on the port of the test origin: every other
 * loopback destination (another port, {@code ::1}) is refused before any connection is made,
 * whether the job names it or a redirect leads there. All traffic of these tests goes to 127.0.0.1
 * and ::1, and the refused origins count the requests that reached them: none.
 */
class DestinationGuardIntegrationTests extends WorkerIntegrationTestSupport {

  /** Listens on 127.0.0.1 like the allowed origin, on a port the guarded worker may not use. */
  private static OriginServer otherPort;

  /** Listens on ::1, which the guarded worker may not use at all. */
  private static OriginServer ipv6Loopback;

  private static ConfigurableApplicationContext guarded;

  @BeforeAll
  static void startGuardedWorker() {
    otherPort = OriginServer.start();
    ipv6Loopback = OriginServer.start(InetAddress.ofLiteral("::1"));
    guarded =
        startAnotherWorker(
            "guarded-worker", Map.of("fetchq.worker.allowed-hosts", "127.0.0.1:" + origin.port()));
  }

  @AfterAll
  static void stopGuardedWorker() {
    guarded.close();
    otherPort.close();
    ipv6Loopback.close();
  }

  @BeforeEach
  void onlyTheGuardedWorkerTakesJobs() {
    listeners.getListenerContainer(JOB_LISTENER).stop();
  }

  @AfterEach
  void theTestWorkerTakesJobsAgain() {
    listeners.getListenerContainer(JOB_LISTENER).start();
  }

  @Test
  void anAllowedOriginIsFetched() {
    var content = Content.random(10_000, 60);
    origin.route("/guard/allowed.bin", Routes.content(content));

    UUID jobId = submit("/guard/allowed.bin", content.sha256());

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.worker()).isEqualTo("guarded-worker");
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
  }

  @Test
  void aLoopbackDestinationThatIsNotAllowedIsDeadLetteredAfterOneAttemptWithoutARequest() {
    otherPort.route("/guard/secret", Routes.content(Content.random(100, 61)));

    UUID jobId = submit(otherPort.url("/guard/secret").toString(), null, null);

    var failure = blocked(jobId);
    assertThat(failure.message())
        .isEqualTo(
            "127.0.0.1 is a loopback address and fetchq.worker.allowed-hosts allows it on other"
                + " ports only; add 127.0.0.1:"
                + otherPort.port()
                + " to allow this one");
    assertThat(otherPort.requests("/guard/secret")).isZero();
  }

  @Test
  void anIpv6LoopbackLiteralIsRefused() {
    ipv6Loopback.route("/guard/secret", Routes.content(Content.random(100, 62)));

    UUID jobId = submit(ipv6Loopback.url("/guard/secret").toString(), null, null);

    assertThat(blocked(jobId).message())
        .isEqualTo("::1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it");
    assertThat(ipv6Loopback.requests("/guard/secret")).isZero();
  }

  @Test
  void aRedirectToADestinationThatIsNotAllowedIsStoppedAtThatHop() {
    otherPort.route("/guard/internal", Routes.content(Content.random(100, 63)));
    origin.route("/guard/hop", Routes.redirect(302, otherPort.url("/guard/internal").toString()));

    UUID jobId = submit("/guard/hop", null);

    assertThat(blocked(jobId).message()).startsWith("127.0.0.1 is a loopback address");
    assertThat(origin.requests("/guard/hop")).isEqualTo(1);
    assertThat(otherPort.requests("/guard/internal")).isZero();
  }

  @Test
  void aRedirectToTheIpv6LoopbackIsStoppedToo() {
    ipv6Loopback.route("/guard/internal", Routes.content(Content.random(100, 64)));
    origin.route(
        "/guard/hop6", Routes.redirect(301, ipv6Loopback.url("/guard/internal").toString()));

    UUID jobId = submit("/guard/hop6", null);

    assertThat(blocked(jobId).message()).startsWith("::1 is a loopback address");
    assertThat(ipv6Loopback.requests("/guard/internal")).isZero();
  }

  /** The job's one attempt failed as a blocked destination and it is in the dead-letter queue. */
  private dev.fetchq.model.Failure blocked(UUID jobId) {
    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + "@" + e.attempt())
        .containsExactly("Started@1", "Failed@1");
    var failed = (JobEvent.Failed) events.getLast();
    assertThat(failed.worker()).isEqualTo("guarded-worker");
    assertThat(failed.failure().reason()).isEqualTo(FailureReason.BLOCKED_DESTINATION);
    assertThat(failed.failure().httpStatus()).isNull();
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "BLOCKED_DESTINATION")
        .containsEntry(Headers.FAILURE_MESSAGE, failed.failure().message())
        .containsEntry(Headers.ATTEMPT, 1);
    RETRY_QUEUES.forEach(queue -> assertThat(queueDepth(queue)).as(queue).isZero());
    assertThat(queueDepth(Topology.JOBS_QUEUE)).isZero();
    return failed.failure();
  }
}
