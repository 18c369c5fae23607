package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

import dev.fetchq.api.security.Caller;
import dev.fetchq.api.security.Role;
import dev.fetchq.api.security.WebSliceSecurity;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The HTTP contract of the job endpoints, errors included: every error is a problem+json with the
 * right status, and bad input is never a 500.
 */
@WebMvcTest(JobController.class)
@Import(WebSliceSecurity.class)
class JobControllerTests {

  private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final String VALID = "{\"url\":\"https://example.org/a.pdf\"}";
  private static final Caller CLIENT = new Caller(WebSliceSecurity.CLIENT, Role.CLIENT);

  @Autowired MockMvcTester mvc;
  @MockitoBean JobSubmission submission;
  @MockitoBean JobCancellation cancellation;
  @MockitoBean JobRepository jobs;
  @MockitoBean JobAttemptRepository attempts;

  @Test
  void aValidJobIsAcceptedWithWhereToWatchIt() {
    given(submission.submit(any(), eq(WebSliceSecurity.CLIENT), eq(null)))
        .willReturn(new JobSubmission.Submitted(queued(ID), false));

    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(VALID))
        .hasStatus(HttpStatus.ACCEPTED)
        .hasHeader("Location", "/jobs/" + ID)
        .bodyJson()
        .hasPathSatisfying("$.id", id -> assertThat(id).asString().isEqualTo(ID.toString()))
        .hasPathSatisfying("$.status", s -> assertThat(s).asString().isEqualTo("QUEUED"))
        .hasPathSatisfying(
            "$.owner", s -> assertThat(s).asString().isEqualTo(WebSliceSecurity.CLIENT));
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheEarlierJobMarkedAsReplayed() {
    given(submission.submit(any(), eq(WebSliceSecurity.CLIENT), eq(new IdempotencyKey("k-1"))))
        .willReturn(new JobSubmission.Submitted(queued(ID), true));

    var result =
        mvc.post()
            .uri("/jobs")
            .header("Idempotency-Key", "\"k-1\"")
            .contentType(MediaType.APPLICATION_JSON)
            .content(VALID)
            .exchange();

    assertThat(result)
        .hasStatus(HttpStatus.ACCEPTED)
        .hasHeader("Location", "/jobs/" + ID)
        .hasHeader("Idempotent-Replayed", "true");
  }

  @Test
  void anInvalidIdempotencyKeyIsA400Problem() {
    for (String key : List.of("", "   ", "é", "a".repeat(256), "tab\there")) {
      assertThat(
              mvc.post()
                  .uri("/jobs")
                  .header("Idempotency-Key", key)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(VALID))
          .as("Idempotency-Key '%s'", key)
          .hasStatus(HttpStatus.BAD_REQUEST)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyJson()
          .extractingPath("$.errors[0].field")
          .isEqualTo("Idempotency-Key");
    }
  }

  @Test
  void withoutAKeyEveryEndpointIs401AndNothingRuns() {
    var result =
        mvc.post()
            .uri("/jobs")
            .header("Authorization", "Basic YTpi")
            .contentType(MediaType.APPLICATION_JSON)
            .content(VALID)
            .exchange();

    assertThat(result)
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader("WWW-Authenticate", "Bearer realm=\"fetchq\"");
    assertThat(mvc.get().uri("/jobs").header("Authorization", "Bearer fq_unknown"))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .hasHeader("WWW-Authenticate", "Bearer realm=\"fetchq\", error=\"invalid_token\"");
    then(submission).shouldHaveNoInteractions();
    then(jobs).shouldHaveNoInteractions();
  }

  @Test
  void anotherClientsJobIsA404ButAnAdminSeesIt() {
    given(jobs.findById(ID)).willReturn(Optional.of(queued(ID)));

    assertThat(
            mvc.get()
                .uri("/jobs/{id}", ID)
                .header(
                    "Authorization", WebSliceSecurity.bearer(WebSliceSecurity.OTHER_CLIENT_KEY)))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(
            mvc.get()
                .uri("/jobs/{id}", ID)
                .header("X-API-Key", WebSliceSecurity.ADMIN_KEY)
                .header("Authorization", WebSliceSecurity.bearer(WebSliceSecurity.ADMIN_KEY)))
        .hasStatus(HttpStatus.OK);
  }

  @Test
  void aClientListsOnlyItsOwnJobsAndAnAdminEveryones() {
    given(jobs.findPage(any(), any(), any(), eq(51))).willReturn(List.of());

    assertThat(mvc.get().uri("/jobs")).hasStatus(HttpStatus.OK);
    assertThat(
            mvc.get()
                .uri("/jobs")
                .header("Authorization", WebSliceSecurity.bearer(WebSliceSecurity.ADMIN_KEY)))
        .hasStatus(HttpStatus.OK);

    then(jobs).should().findPage(WebSliceSecurity.CLIENT, null, null, 51);
    then(jobs).should().findPage(null, null, null, 51);
  }

  @Test
  void invalidFieldsAreListedInA400Problem() {
    var result =
        mvc.post()
            .uri("/jobs")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                """
                {"url":"ftp://example.org/a","sha256":"abc","filename":"a\\u0000b"}""")
            .exchange();

    assertThat(result)
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.errors[*].field")
        .asArray()
        .containsExactly("filename", "sha256", "url");
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(400);
  }

  @Test
  void aMissingUrlIsA400Problem() {
    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("url");
  }

  @Test
  void malformedJsonIsA400Problem() {
    assertThat(
            mvc.post()
                .uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"url\": \"https://example.org/"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.detail")
        .isEqualTo("The request body is not well-formed JSON.");
  }

  @Test
  void aFieldOfTheWrongJsonTypeIsA400Problem() {
    assertThat(
            mvc.post()
                .uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"url\": {\"href\": \"https://example.org/\"}}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("url");
  }

  @Test
  void aMissingBodyIsA400Problem() {
    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aBodyThatIsNotJsonIsA415Problem() {
    assertThat(mvc.post().uri("/jobs").contentType(MediaType.TEXT_PLAIN).content("https://x.org/"))
        .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aBodyOverTheLimitIsA413Problem() {
    String big = "{\"url\":\"https://example.org/\",\"filename\":\"" + "a".repeat(17_000) + "\"}";

    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(big))
        .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.detail")
        .isEqualTo("The request body is larger than 16384B.");
  }

  @Test
  void anUnreachableDatabaseIsA503ProblemNotA500() {
    given(submission.submit(any(), any(), any()))
        .willThrow(new CannotCreateTransactionException("Could not open JDBC Connection"));

    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(VALID))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader("Retry-After", "5");
  }

  @Test
  void aConnectionLostInsideTheTransactionIsA503NotA500() {
    var rollbackFailed =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollbackFailed.initApplicationException(new SQLException("I/O error"));
    given(submission.submit(any(), any(), any())).willThrow(rollbackFailed);

    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(VALID))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("Nothing was changed");
  }

  @Test
  void aCommitThatFailedIsA503ThatSaysTheOutcomeIsUnknown() {
    given(submission.submit(any(), any(), any()))
        .willThrow(
            new TransactionSystemException(
                "Could not commit JDBC transaction", new SQLException("Connection is closed")));

    assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(VALID))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader("Retry-After", "5")
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("may or may not have taken effect");
  }

  @Test
  void anUnexpectedErrorIsA500ProblemWithoutInternals() {
    given(jobs.findById(ID)).willThrow(new IllegalStateException("secret internals"));

    var result = mvc.get().uri("/jobs/{id}", ID).exchange();

    assertThat(result)
        .hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyText().doesNotContain("secret");
  }

  @Test
  void aJobIsShownById() {
    given(jobs.findById(ID)).willReturn(Optional.of(queued(ID)));

    assertThat(mvc.get().uri("/jobs/{id}", ID))
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .extractingPath("$.url")
        .isEqualTo("https://example.org/a.pdf");
  }

  @Test
  void cancellingAnswers202WithTheCancelledJobByPostAndByDelete() {
    Job cancelled =
        queued(ID).draft().status(JobStatus.CANCELLED).finishedAt(Instant.now()).build();
    given(cancellation.cancel(ID, CLIENT)).willReturn(cancelled);

    assertThat(mvc.post().uri("/jobs/{id}/cancel", ID))
        .hasStatus(HttpStatus.ACCEPTED)
        .bodyJson()
        .extractingPath("$.status")
        .isEqualTo("CANCELLED");
    assertThat(mvc.delete().uri("/jobs/{id}", ID))
        .hasStatus(HttpStatus.ACCEPTED)
        .bodyJson()
        .extractingPath("$.attemptHistory")
        .asArray()
        .isEmpty();
  }

  @Test
  void cancellingAFinalJobIsA409Problem() {
    given(cancellation.cancel(ID, CLIENT))
        .willThrow(JobProblems.cannotCancel(ID, JobStatus.SUCCEEDED));

    assertThat(mvc.post().uri("/jobs/{id}/cancel", ID))
        .hasStatus(HttpStatus.CONFLICT)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("SUCCEEDED");
  }

  @Test
  void anUnknownJobIsA404Problem() {
    given(jobs.findById(ID)).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/jobs/{id}", ID))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.instance")
        .isEqualTo("/jobs/" + ID);
  }

  @Test
  void aMalformedIdIsA400Problem() {
    assertThat(mvc.get().uri("/jobs/not-a-uuid"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("id");
  }

  @Test
  void anUnknownPathIsA404Problem() {
    assertThat(mvc.get().uri("/no/such/thing"))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void anUnsupportedMethodIsA405Problem() {
    assertThat(mvc.put().uri("/jobs"))
        .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aFullPageHasACursorToTheNextOne() {
    List<Job> rows = IntStream.range(0, 3).mapToObj(i -> queued(UUID.randomUUID())).toList();
    given(jobs.findPage(eq(WebSliceSecurity.CLIENT), eq(JobStatus.QUEUED), eq(null), eq(3)))
        .willReturn(rows);

    var result = mvc.get().uri("/jobs?status=QUEUED&limit=2").exchange();

    assertThat(result)
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .extractingPath("$.items")
        .asArray()
        .hasSize(2);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.nextCursor")
        .isEqualTo(PageCursor.after(rows.get(1).id()).encode());
  }

  @Test
  void theCursorContinuesAfterTheLastJobOfThePreviousPage() {
    given(jobs.findPage(WebSliceSecurity.CLIENT, null, ID, 51)).willReturn(List.of());

    assertThat(mvc.get().uri("/jobs?cursor=" + PageCursor.after(ID).encode()))
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .isLenientlyEqualTo("{\"items\":[],\"nextCursor\":null}");
  }

  @Test
  void badListParametersAre400Problems() {
    assertThat(mvc.get().uri("/jobs?status=queued"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].message")
        .asString()
        .startsWith("must be one of QUEUED, RUNNING");
    assertThat(mvc.get().uri("/jobs?limit=0")).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(mvc.get().uri("/jobs?limit=501"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("limit");
    assertThat(mvc.get().uri("/jobs?limit=ten")).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(mvc.get().uri("/jobs?cursor=bogus!"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("cursor");
  }

  private static Job queued(UUID id) {
    return Job.queued(
        id,
        "https://example.org/a.pdf",
        null,
        null,
        WebSliceSecurity.CLIENT,
        Instant.parse("2026-01-10T10:00:00Z"));
  }
}
