package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.api.SpringTestContext;
import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /jobs} with random, partly invalid requests and idempotency keys, against the real
 * database and broker: a valid request is stored exactly once, for its owner, as it was sent; an
 * invalid one writes nothing and is a 4xx problem. Few tries: each is a real transaction.
 */
class SubmitPropertyIntegrationTests extends ApiIntegrationTest {

  SubmitPropertyIntegrationTests() {
    SpringTestContext.inject(this);
  }

  /** One generated submission: the body, its unique marker, and an optional idempotency key. */
  record Submission(ObjectNode body, String marker, String key, boolean valid) {}

  @Property(tries = 40)
  void aSubmissionIsStoredOnceAsSentOrRefusedWithoutATrace(
      @ForAll("submissions") Submission submission) {
    MvcTestResult first = post(submission);
    int status = first.getResponse().getStatus();

    if (!submission.valid()) {
      assertThat(status).as(submission.body().toString()).isEqualTo(400);
      assertThat(first.getResponse().getContentType()).startsWith("application/problem+json");
      assertThat(jobsMarked(submission.marker())).isZero();
      return;
    }
    assertThat(status).as(submission.body().toString()).isEqualTo(202);
    JsonNode accepted = body(first);
    UUID id = UUID.fromString(accepted.get("id").asString());
    assertThat(accepted.get("owner").asString()).isEqualTo(CLIENT);
    assertThat(accepted.get("url").asString()).isEqualTo(submission.body().get("url").asString());
    JsonNode sha = submission.body().get("sha256");
    assertThat(textOf(accepted.get("expectedSha256")))
        .isEqualTo(sha == null ? null : sha.asString().toLowerCase(Locale.ROOT));
    assertThat(textOf(accepted.get("filename")))
        .isEqualTo(textOf(submission.body().get("filename")));
    assertThat(job(id)).isEqualTo(accepted);

    MvcTestResult again = post(submission);
    if (submission.key() != null) {
      assertThat(again).hasStatus(202).hasHeader("Idempotent-Replayed", "true");
      assertThat(body(again).get("id").asString()).isEqualTo(id.toString());
      assertThat(jobsMarked(submission.marker())).isOne();
    } else {
      assertThat(again).hasStatus(202);
      assertThat(jobsMarked(submission.marker())).isEqualTo(2);
    }
  }

  @Provide
  Arbitrary<Submission> submissions() {
    Arbitrary<String> host =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> sha =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64).injectNull(0.5);
    Arbitrary<String> badSha =
        Arbitraries.strings().ofMaxLength(70).filter(s -> !s.matches("[0-9a-fA-F]{64}"));
    Arbitrary<String> filename =
        Arbitraries.strings()
            .ofMaxLength(80)
            .filter(
                s ->
                    s.chars()
                        .noneMatch(
                            c -> Character.isISOControl(c) || Character.isSurrogate((char) c)))
            .injectNull(0.4);
    Arbitrary<String> key =
        Arbitraries.strings()
            .withCharRange('!', '~')
            .ofMinLength(1)
            .ofMaxLength(64)
            .injectNull(0.3);
    Arbitrary<Boolean> valid = Arbitraries.of(true, true, true, false);
    return Combinators.combine(host, sha, badSha, filename, key, valid)
        .as(
            (h, s, bad, f, k, ok) -> {
              String marker = UUID.randomUUID().toString();
              ObjectNode body =
                  json.createObjectNode().put("url", "https://" + h + ".example/" + marker);
              if (!ok) {
                body.put("sha256", bad);
              } else if (s != null) {
                body.put("sha256", s);
              }
              if (f != null) {
                body.put("filename", f);
              }
              return new Submission(body, marker, k == null ? null : k + marker, ok);
            });
  }

  private MvcTestResult post(Submission submission) {
    var request = mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON);
    if (submission.key() != null) {
      request.header("Idempotency-Key", submission.key());
    }
    return request.content(submission.body().toString()).exchange();
  }

  private static String textOf(JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }

  private int jobsMarked(String marker) {
    return jdbc.sql("select count(*) from job where url like ?")
        .param("%/" + marker)
        .query(Integer.class)
        .single();
  }
}
