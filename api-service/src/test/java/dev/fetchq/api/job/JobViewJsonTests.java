package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobFixtures.aQueuedJob;
import static dev.fetchq.api.job.JobFixtures.aRetryScheduledJob;
import static dev.fetchq.api.job.JobFixtures.aSucceededJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.test.json.JacksonTester;

/**
 * Pins the job JSON of the public HTTP API. Clients depend on these names, types and formats: a
 * failure here is a breaking change, not a test to update.
 */
@JsonTest
class JobViewJsonTests {

  @Autowired JacksonTester<JobView> json;

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
              "createdAt": "2026-01-10T10:00:00Z",
              "startedAt": "2026-01-10T10:01:00Z",
              "finishedAt": "2026-01-10T10:01:30Z",
              "nextAttemptAt": null,
              "bytes": 4096,
              "totalBytes": 4096,
              "sha256": "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
              "expectedSha256": null,
              "contentType": "application/pdf",
              "filename": "report.pdf",
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
              "createdAt": "2026-01-10T10:00:00Z",
              "startedAt": "2026-01-10T10:01:00Z",
              "finishedAt": null,
              "nextAttemptAt": "2026-01-10T10:01:40Z",
              "bytes": 0,
              "totalBytes": null,
              "sha256": null,
              "expectedSha256": null,
              "contentType": null,
              "filename": "report.pdf",
              "lastError": {"reason": "HTTP_TRANSIENT", "httpStatus": 503, "message": "Service Unavailable"},
              "worker": "worker-1",
              "contentUrl": null
            }""");
  }

  @Test
  void fieldsComeInADocumentedOrder() throws IOException {
    assertThat(json.write(JobView.of(aQueuedJob())).getJson())
        .startsWith("{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"url\":")
        .endsWith("\"worker\":null,\"contentUrl\":null}");
  }
}
