package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobFixtures.aDeadJob;
import static dev.fetchq.api.job.JobFixtures.aQueuedJob;
import static dev.fetchq.api.job.JobFixtures.aRetryScheduledJob;
import static dev.fetchq.api.job.JobFixtures.aSucceededJob;
import static dev.fetchq.api.job.JobFixtures.endOf;
import static dev.fetchq.api.job.JobFixtures.startOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.FailureReason;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.test.json.JacksonTester;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins the job JSON of the public HTTP API. Clients depend on these names, types and formats: a
 * failure here is a breaking change, not a test to update.
 */
@JsonTest
class JobViewJsonTests {

  @Autowired JacksonTester<JobView> json;
  @Autowired JsonMapper mapper;

  private Object parsed(String text) {
    return mapper.readValue(text, List.class);
  }

  @Test
  void aSucceededJobShowsWhatWasStoredAndWhereToGetIt() throws IOException {
    assertThat(json.write(JobView.of(aSucceededJob())))
        .isStrictlyEqualToJson(
            """
            {
              "id": "01890a5d-ac96-774b-bcce-b302099a8057",
              "url": "https://example.org/report.pdf",
              "status": "SUCCEEDED",
              "attempts": 1,
              "budgetStart": 1,
              "createdAt": "2026-01-10T10:00:00Z",
              "startedAt": "2026-01-10T10:01:00Z",
              "finishedAt": "2026-01-10T10:01:30Z",
              "discardedAt": null,
              "nextAttemptAt": null,
              "bytes": 4096,
              "totalBytes": 4096,
              "sha256": "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
              "expectedSha256": null,
              "contentType": "application/pdf",
              "filename": "report.pdf",
              "owner": "client-a",
              "lastError": null,
              "worker": "worker-1",
              "contentUrl": "/jobs/01890a5d-ac96-774b-bcce-b302099a8057/content"
            }""");
  }

  @Test
  void aJobWaitingForItsRetryShowsTheLastErrorAndTheNextAttempt() throws IOException {
    assertThat(json.write(JobView.of(aRetryScheduledJob(1))))
        .isStrictlyEqualToJson(
            """
            {
              "id": "01890a5d-ac96-774b-bcce-b302099a8057",
              "url": "https://example.org/report.pdf",
              "status": "RETRY_SCHEDULED",
              "attempts": 1,
              "budgetStart": 1,
              "createdAt": "2026-01-10T10:00:00Z",
              "startedAt": "2026-01-10T10:01:00Z",
              "finishedAt": null,
              "discardedAt": null,
              "nextAttemptAt": "2026-01-10T10:01:40Z",
              "bytes": 0,
              "totalBytes": null,
              "sha256": null,
              "expectedSha256": null,
              "contentType": null,
              "filename": "report.pdf",
              "owner": "client-a",
              "lastError": {"reason": "HTTP_TRANSIENT", "httpStatus": 503, "message": "Service Unavailable"},
              "worker": "worker-1",
              "contentUrl": null
            }""");
  }

  @Test
  void aShownJobHasItsAttemptHistoryFirstToLast() throws IOException {
    var history =
        List.of(
            new JobAttempt(
                1,
                "worker-1",
                startOf(1),
                endOf(1),
                AttemptOutcome.RETRY_SCHEDULED,
                503,
                FailureReason.HTTP_TRANSIENT,
                "Service Unavailable",
                1024L),
            new JobAttempt(
                2, "worker-2", startOf(2), null, AttemptOutcome.RUNNING, null, null, null, null));

    assertThat(json.write(JobView.of(aRetryScheduledJob(2), history)))
        .extractingJsonPathValue("$.attemptHistory")
        .isEqualTo(
            parsed(
                """
                [{"attempt": 1, "worker": "worker-1", "startedAt": "2026-01-10T10:01:00Z",
                  "finishedAt": "2026-01-10T10:01:30Z", "outcome": "RETRY_SCHEDULED",
                  "httpStatus": 503, "errorReason": "HTTP_TRANSIENT",
                  "errorMessage": "Service Unavailable", "bytes": 1024},
                 {"attempt": 2, "worker": "worker-2", "startedAt": "2026-01-10T10:02:00Z",
                  "finishedAt": null, "outcome": "RUNNING", "httpStatus": null,
                  "errorReason": null, "errorMessage": null, "bytes": null}]"""));
  }

  @Test
  void aListedJobLeavesOutItsAttemptHistory() throws IOException {
    assertThat(json.write(JobView.of(aQueuedJob()))).doesNotHaveJsonPath("$.attemptHistory");
  }

  @Test
  void aReplayedJobShowsItsNewBudgetAndADiscardedOneWhenItWasDiscarded() throws IOException {
    Job replayed = ((Job.Decision.Applied) aDeadJob().replay()).job();
    Job discarded = ((Job.Decision.Applied) aDeadJob().discard(endOf(3))).job();

    assertThat(json.write(JobView.of(replayed)))
        .hasJsonPathNumberValue("$.budgetStart", 2)
        .hasJsonPathStringValue("$.status", "QUEUED");
    assertThat(json.write(JobView.of(discarded)))
        .hasJsonPathStringValue("$.discardedAt", "2026-01-10T10:03:30Z");
  }

  @Test
  void fieldsComeInADocumentedOrder() throws IOException {
    assertThat(json.write(JobView.of(aQueuedJob())).getJson())
        .startsWith("{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"url\":")
        .endsWith("\"worker\":null,\"contentUrl\":null}");
  }
}
