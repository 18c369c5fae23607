package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.JobEvent;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code fetchq.worker.started-event-delay}, only attempts that are still running after the
 * delay are announced with a Started event; a quicker success is reported by its Succeeded event
 * alone, which carries the start time.
 */
class StartedEventIntegrationTests extends WorkerIntegrationTestSupport {

  private ConfigurableApplicationContext worker;

  @BeforeEach
  void onlyAWorkerWithADelayConsumes() {
    worker =
        startAnotherWorker("delaying-worker", Map.of("fetchq.worker.started-event-delay", "500ms"));
    listeners.getListenerContainer(JOB_LISTENER).stop();
  }

  @AfterEach
  void back() {
    worker.close();
    listeners.getListenerContainer(JOB_LISTENER).start();
  }

  @Test
  void aQuickSuccessIsReportedWithoutStarted() {
    var content = Content.random(4_096, 60);
    origin.route("/quick.bin", Routes.content(content));

    UUID jobId = submit("/quick.bin", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events).hasSize(1);
    var succeeded = (JobEvent.Succeeded) events.getFirst();
    assertThat(succeeded.worker()).isEqualTo("delaying-worker");
    assertThat(succeeded.startedAt()).isNotNull().isBeforeOrEqualTo(succeeded.at());
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
  }

  @Test
  void aLongerAttemptIsAnnouncedAfterTheDelayAndBeforeItsOutcome() {
    // 30 kB at 20 kB/s: about 1.5 s.
    var content = Content.random(30_000, 61);
    origin.route("/longer.bin", Routes.slow(content, 20_000));

    UUID jobId = submit("/longer.bin", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    var started = (JobEvent.Started) events.getFirst();
    var succeeded = (JobEvent.Succeeded) events.getLast();
    assertThat(started.worker()).isEqualTo("delaying-worker");
    assertThat(succeeded.startedAt()).isEqualTo(started.at());
  }

  @Test
  void aQuickFailureIsStillAnnouncedBeforeIt() {
    origin.route("/gone.bin", Routes.status(404));

    UUID jobId = submit("/gone.bin", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events).hasSize(2);
    assertThat(events.getFirst()).isInstanceOf(JobEvent.Started.class);
    assertThat(events.getLast()).isInstanceOf(JobEvent.Failed.class);
    deadLetter(jobId);
  }
}
