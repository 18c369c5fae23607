package dev.fetchq.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins the JSON both services put on the wire. A failure here means a deployed worker and
 * api-service of different versions would no longer understand each other: do not "fix" the
 * expected strings, version the queue instead.
 */
class WireFormatContractTest {

  /** Configured as the services' message converter is (messaging module). */
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(
              tools.jackson.databind.cfg.EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
          .build();

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");
  private static final Instant STARTED = Instant.parse("2026-11-27T10:15:29Z");

  @Test
  void downloadJob() {
    var job = new DownloadJob(JOB, "https://example.org/a.bin", "ab".repeat(32));
    assertRoundTrip(
        job,
        DownloadJob.class,
        """
        {"jobId":"01890a5d-ac96-774b-bcce-b302099a8057","url":"https://example.org/a.bin",\
        "expectedSha256":"abababababababababababababababababababababababababababababababab"}""");
  }

  @Test
  void downloadJobWithoutChecksumKeepsTheFieldAsNull() {
    assertRoundTrip(
        new DownloadJob(JOB, "http://h/x", null),
        DownloadJob.class,
        """
        {"jobId":"01890a5d-ac96-774b-bcce-b302099a8057","url":"http://h/x","expectedSha256":null}""");
  }

  @Test
  void started() {
    assertRoundTrip(
        new JobEvent.Started(JOB, 1, "w-1", AT),
        JobEvent.class,
        """
        {"type":"started","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":1,"worker":"w-1",\
        "at":"2026-11-27T10:15:30.123Z"}""");
  }

  @Test
  void progress() {
    assertRoundTrip(
        new JobEvent.Progress(JOB, 2, "w-1", AT, 1024, 4096L),
        JobEvent.class,
        """
        {"type":"progress","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":2,"worker":"w-1",\
        "at":"2026-11-27T10:15:30.123Z","bytes":1024,"totalBytes":4096}""");
  }

  @Test
  void succeeded() {
    assertRoundTrip(
        new JobEvent.Succeeded(
            JOB, 1, "w-1", AT, STARTED, 4096, "cd".repeat(32), "application/pdf", "01/" + JOB),
        JobEvent.class,
        """
        {"type":"succeeded","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":1,"worker":"w-1",\
        "at":"2026-11-27T10:15:30.123Z","startedAt":"2026-11-27T10:15:29Z","bytes":4096,\
        "sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",\
        "contentType":"application/pdf","storageKey":"01/01890a5d-ac96-774b-bcce-b302099a8057"}""");
  }

  @Test
  void retryScheduled() {
    assertRoundTrip(
        new JobEvent.RetryScheduled(
            JOB,
            1,
            "w-1",
            AT,
            Failure.http(FailureReason.HTTP_TRANSIENT, 503, "Service Unavailable"),
            2,
            AT.plusSeconds(5)),
        JobEvent.class,
        """
        {"type":"retry-scheduled","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":1,\
        "worker":"w-1","at":"2026-11-27T10:15:30.123Z","failure":{"reason":"HTTP_TRANSIENT",\
        "httpStatus":503,"message":"Service Unavailable"},"nextAttempt":2,\
        "nextAttemptAt":"2026-11-27T10:15:35.123Z"}""");
  }

  @Test
  void failed() {
    assertRoundTrip(
        new JobEvent.Failed(
            JOB, 3, "w-2", AT, Failure.of(FailureReason.TOO_LARGE, "body exceeds 10 MiB")),
        JobEvent.class,
        """
        {"type":"failed","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":3,"worker":"w-2",\
        "at":"2026-11-27T10:15:30.123Z","failure":{"reason":"TOO_LARGE","httpStatus":null,\
        "message":"body exceeds 10 MiB"}}""");
  }

  @Test
  void cancelJob() {
    assertRoundTrip(
        new ControlMessage.CancelJob(JOB, AT),
        ControlMessage.class,
        """
        {"type":"cancel-job","jobId":"01890a5d-ac96-774b-bcce-b302099a8057",\
        "at":"2026-11-27T10:15:30.123Z"}""");
  }

  @Test
  void marker() {
    assertRoundTrip(
        new ControlMessage.Marker("w-1", JOB, AT),
        ControlMessage.class,
        """
        {"type":"marker","worker":"w-1","nonce":"01890a5d-ac96-774b-bcce-b302099a8057",\
        "at":"2026-11-27T10:15:30.123Z"}""");
  }

  @Test
  void retryTierQueuesCarryTheirDelayAndDeadLetterBackToTheJobs() {
    var tier = Topology.retryQueue(java.time.Duration.ofSeconds(30));
    assertThat(tier.name()).isEqualTo("fetchq.retry.30s.v1");
    assertThat(tier.arguments())
        .containsEntry("x-message-ttl", 30_000L)
        .containsEntry("x-dead-letter-exchange", Topology.JOBS_EXCHANGE)
        .containsEntry("x-dead-letter-routing-key", Topology.JOBS_ROUTING_KEY);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Topology.retryQueue(java.time.Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fieldsAddedByANewerProducerAreIgnoredSoRollingUpgradesWork() {
    var json =
        """
        {"jobId":"01890a5d-ac96-774b-bcce-b302099a8057","url":"http://h/x","expectedSha256":null,\
        "priority":5}""";
    assertThat(JSON.readValue(json, DownloadJob.class))
        .isEqualTo(new DownloadJob(JOB, "http://h/x", null));
  }

  @Test
  void aFailureReasonFromANewerWorkerReadsAsUnknownInsteadOfPoisoningTheEvent() {
    var json =
        """
        {"type":"failed","jobId":"01890a5d-ac96-774b-bcce-b302099a8057","attempt":1,"worker":"w",\
        "at":"2026-11-27T10:15:30.123Z","failure":{"reason":"QUANTUM_FLUX","httpStatus":null,\
        "message":"m"}}""";
    assertThat(((JobEvent.Failed) JSON.readValue(json, JobEvent.class)).failure().reason())
        .isEqualTo(FailureReason.UNKNOWN);
  }

  private static <T> void assertRoundTrip(T value, Class<? super T> type, String json) {
    assertThat(JSON.writerFor(type).writeValueAsString(value)).isEqualTo(json);
    assertThat(JSON.readValue(json, type)).isEqualTo(value);
  }
}
