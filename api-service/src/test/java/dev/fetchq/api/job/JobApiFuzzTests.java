package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;

import dev.fetchq.api.SpringTestContext;
import dev.fetchq.api.security.WebSliceSecurity;
import dev.fetchq.api.storage.Storage;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random and adversarial input against the job endpoints, with the real validation, problem
 * handling and authentication: bad input is a 4xx problem, never a 500, and valid input is
 * accepted. The service behind the controllers is a stand-in: what is fuzzed is the HTTP edge.
 */
@WebMvcTest({JobController.class, JobContentController.class})
@Import(WebSliceSecurity.class)
class JobApiFuzzTests {

  private static final UUID KNOWN = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @Autowired MockMvcTester mvc;
  @Autowired JsonMapper json;
  @MockitoBean JobSubmission submission;
  @MockitoBean JobCancellation cancellation;
  @MockitoBean JobRepository jobs;
  @MockitoBean JobAttemptRepository attempts;
  @MockitoBean Storage storage;

  JobApiFuzzTests() {
    SpringTestContext.inject(this);
    Job job =
        Job.queued(
            KNOWN,
            "https://example.org/a",
            null,
            null,
            WebSliceSecurity.CLIENT,
            Instant.parse("2026-01-10T10:00:00Z"));
    given(submission.submit(any(), any(), any()))
        .willReturn(new JobSubmission.Submitted(job, false));
    given(jobs.findById(any())).willReturn(Optional.empty());
    given(jobs.findById(KNOWN)).willReturn(Optional.of(job));
    given(jobs.findPage(any(), any(), any(), anyInt())).willReturn(List.of());
    given(attempts.findByJob(any())).willReturn(List.of());
    willThrow(JobProblems.notFound(KNOWN)).given(cancellation).cancel(any(), any());
  }

  @Property(tries = 400)
  void anyBodyIsAcceptedOrAnsweredWithA4xxProblem(@ForAll("bodies") String body) {
    MvcTestResult result =
        mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).content(body).exchange();

    int status = result.getResponse().getStatus();
    assertThat(status).as(body).isIn(202, 400, 413);
    if (status != 202) {
      assertProblem(result, status);
    }
  }

  @Property(tries = 300)
  void aValidRequestIsAlwaysAccepted(
      @ForAll("validRequests") ObjectNode request, @ForAll("validIdempotencyKeys") String key) {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .header("Idempotency-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .content(request.toString())
            .exchange();

    assertThat(result).as(request.toString()).hasStatus(202);
  }

  @Property(tries = 300)
  void anInvalidFieldIsNamedInA400Problem(@ForAll("invalidRequests") ObjectNode request) {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .contentType(MediaType.APPLICATION_JSON)
            .content(request.toString())
            .exchange();

    assertProblem(result, 400);
    JsonNode errors = body(result).get("errors");
    assertThat(errors).as(request.toString()).isNotNull();
    assertThat(errors.findValuesAsString("field")).isNotEmpty();
  }

  @Property(tries = 300)
  void anyIdempotencyKeyIsValidOrA400Problem(@ForAll("headerValues") String key) {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .header("Idempotency-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\":\"https://example.org/a\"}")
            .exchange();

    int status = result.getResponse().getStatus();
    assertThat(status).isIn(202, 400);
    if (status == 400) {
      assertProblem(result, 400);
    }
  }

  @Property(tries = 300)
  void anyCredentialButAKnownKeyIs401(@ForAll("headerValues") String credential) {
    MvcTestResult result =
        mvc.get()
            .uri("/jobs")
            .header("Authorization", credential)
            .header("X-API-Key", credential)
            .exchange();

    assertProblem(result, 401);
    assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer realm=");
  }

  @Property(tries = 300)
  void anyJobIdInAPathIsAnsweredWithoutAServerError(
      @ForAll("pathSegments") String id, @ForAll("jobEndpoints") String endpoint) {
    String[] methodAndPath = endpoint.split(" ");
    String path = methodAndPath[1].replace("{id}", UriUtils.encodePathSegment(id, "UTF-8"));
    URI uri = URI.create(path);
    MvcTestResult result =
        switch (methodAndPath[0]) {
          case "POST" -> mvc.post().uri(uri).exchange();
          case "DELETE" -> mvc.delete().uri(uri).exchange();
          default -> mvc.get().uri(uri).exchange();
        };

    int status = result.getResponse().getStatus();
    assertThat(status).as(path).isIn(200, 400, 404, 405, 409);
    if (status >= 400) {
      assertProblem(result, status);
    }
  }

  @Property(tries = 400)
  void anyListQueryIsAPageOrA400Problem(
      @ForAll("queryValues") String status,
      @ForAll("queryValues") String limit,
      @ForAll("queryValues") String cursor) {
    URI uri =
        UriComponentsBuilder.fromPath("/jobs")
            .queryParam("status", status)
            .queryParam("limit", limit)
            .queryParam("cursor", cursor)
            .encode()
            .build()
            .toUri();
    MvcTestResult result = mvc.get().uri(uri).exchange();

    int code = result.getResponse().getStatus();
    assertThat(code).as(uri.toString()).isIn(200, 400);
    if (code == 400) {
      assertProblem(result, 400);
    }
  }

  // --- generators ---

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("{}[]\":,\\ntrufalse0123456789.-eE ").ofMaxLength(80),
        fieldsOf(anyJsonValue()).map(ObjectNode::toString),
        validRequests().map(ObjectNode::toString).flatMap(JobApiFuzzTests::mutated),
        Arbitraries.of(
            "",
            "null",
            "[]",
            "\"https://example.org/\"",
            "{\"url\":null}",
            "{\"url\":\"https://example.org/\",\"url\":\"ftp://x\"}",
            "{\"url\":\"https://example.org/\"}garbage",
            "{\"url\":\"https://example.org/\",\"filename\":\"" + "a".repeat(20_000) + "\"}",
            "{\"url\":\"" + "https://e.org/".repeat(200) + "\"}",
            "{\"url\":\"https://example.org/\",\"sha256\":" + "9".repeat(400) + "}",
            "[".repeat(5_000),
            "{\"url\":\"\\ud800\"}"));
  }

  @Provide
  Arbitrary<ObjectNode> validRequests() {
    Arbitrary<String> url =
        Combinators.combine(
                Arbitraries.of("http", "https", "HTTPS"),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .numeric()
                    .ofMinLength(1)
                    .ofMaxLength(20),
                Arbitraries.of("", ":8080", ":1"),
                Arbitraries.strings().withCharRange('a', 'z').withChars("/._~-").ofMaxLength(60))
            .as(
                (scheme, host, port, path) ->
                    scheme + "://" + host + ".example" + port + "/" + path)
            .filter(u -> new HttpUrl.Validator().isValid(u, null));
    Arbitrary<String> sha256 =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64);
    Arbitrary<String> filename =
        Arbitraries.strings()
            .all()
            .ofMaxLength(255)
            .filter(f -> f.chars().noneMatch(Character::isISOControl));
    return Combinators.combine(url, sha256.injectNull(0.5), filename.injectNull(0.5))
        .as(
            (u, s, f) -> {
              ObjectNode node = json.createObjectNode().put("url", u);
              if (s != null) {
                node.put("sha256", s);
              }
              if (f != null) {
                node.put("filename", f);
              }
              return node;
            });
  }

  @Provide
  Arbitrary<ObjectNode> invalidRequests() {
    Arbitrary<String> badUrl =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                " ",
                "example.org",
                "ftp://example.org/",
                "file:///etc/passwd",
                "http://",
                "https:///x",
                "http://exa mple.org/",
                "javascript:alert(1)",
                "http://[::1",
                "http://example.org/" + "a".repeat(2100)),
            Arbitraries.strings()
                .ofMaxLength(30)
                .filter(s -> !new HttpUrl.Validator().isValid(s, null) || s.isBlank()));
    Arbitrary<String> badSha =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("0123456789abcdefg")
                .ofMinLength(1)
                .ofMaxLength(70)
                .filter(s -> !s.matches("[0-9a-f]{64}")),
            Arbitraries.strings().ofLength(64).filter(s -> !s.matches("[0-9a-fA-F]{64}")));
    Arbitrary<String> badFilename =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMinLength(256).ofMaxLength(400),
            Arbitraries.strings()
                .withCharRange('\u0000', '\u001f')
                .ofMinLength(1)
                .ofMaxLength(5)
                .map(c -> "a" + c + "b"));
    return Arbitraries.oneOf(
        badUrl.map(u -> json.createObjectNode().put("url", u)),
        badSha.map(
            s -> json.createObjectNode().put("url", "https://example.org/").put("sha256", s)),
        badFilename.map(
            f -> json.createObjectNode().put("url", "https://example.org/").put("filename", f)));
  }

  @Provide
  Arbitrary<String> validIdempotencyKeys() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(255);
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(s -> "Bearer " + s),
        Arbitraries.of("", " ", "Bearer", "Bearer ", "bearer\t", "\"\"", "\"", "x".repeat(600)));
  }

  @Provide
  Arbitrary<String> pathSegments() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.create(UUID::randomUUID).map(UUID::toString),
        Arbitraries.of(
            "..",
            ".",
            "%",
            "%00",
            "00000000-0000-0000-0000-000000000000",
            "1-1-1-1-1",
            KNOWN.toString().toUpperCase(),
            "../../etc/passwd",
            "null",
            " "));
  }

  @Provide
  Arbitrary<String> jobEndpoints() {
    return Arbitraries.of(
        "GET /jobs/{id}", "GET /jobs/{id}/content", "POST /jobs/{id}/cancel", "DELETE /jobs/{id}");
  }

  @Provide
  Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of(
            "QUEUED",
            "queued",
            "DEAD",
            "1",
            "500",
            "501",
            "0",
            "-1",
            "AAAAAAAAAAAAAAAAAAAAAA",
            "99999999999999999999",
            "1e3",
            ""));
  }

  private Arbitrary<ObjectNode> fieldsOf(Arbitrary<JsonNode> values) {
    Arbitrary<String> names = Arbitraries.of("url", "sha256", "filename", "URL", "extra", "");
    return Combinators.combine(names.list().ofMaxSize(4), values.list().ofSize(4))
        .as(
            (keys, vals) -> {
              ObjectNode node = json.createObjectNode();
              for (int i = 0; i < keys.size(); i++) {
                node.set(keys.get(i), vals.get(i));
              }
              return node;
            });
  }

  private Arbitrary<JsonNode> anyJsonValue() {
    var nodes = json.getNodeFactory();
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(50).map(nodes::textNode),
        Arbitraries.of("https://example.org/x", "http://127.0.0.1/", "ab".repeat(32))
            .map(nodes::textNode),
        Arbitraries.longs().map(nodes::numberNode),
        Arbitraries.doubles().map(nodes::numberNode),
        Arbitraries.of(
            nodes.nullNode(), nodes.booleanNode(true), nodes.arrayNode(), nodes.objectNode()));
  }

  /** The text with a few characters deleted, inserted or replaced. */
  private static Arbitrary<String> mutated(String text) {
    return Arbitraries.integers()
        .between(0, Math.max(0, text.length() - 1))
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .flatMap(
            positions ->
                Arbitraries.chars()
                    .list()
                    .ofSize(positions.size())
                    .map(
                        chars -> {
                          var sb = new StringBuilder(text);
                          for (int i = 0; i < positions.size(); i++) {
                            int at = Math.min(positions.get(i), sb.length() - 1);
                            if (at < 0) {
                              sb.append(chars.get(i));
                            } else if (i % 3 == 0) {
                              sb.deleteCharAt(at);
                            } else if (i % 3 == 1) {
                              sb.insert(at, chars.get(i));
                            } else {
                              sb.setCharAt(at, chars.get(i));
                            }
                          }
                          return sb.toString();
                        }));
  }

  private void assertProblem(MvcTestResult result, int status) {
    assertThat(result).hasStatus(status);
    assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
    assertThat(body(result).get("status").asInt()).isEqualTo(status);
  }

  private JsonNode body(MvcTestResult result) {
    return json.readTree(result.getResponse().getContentAsByteArray());
  }
}
