package dev.fetchq.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;

import dev.fetchq.api.SpringTestContext;
import dev.fetchq.api.security.WebSliceSecurity;
import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and adversarial input against the dead-letter admin endpoints (with an admin key): a
 * listing, replay or discard, or a 4xx problem; never a 500. The queue behind them is a stand-in.
 */
@WebMvcTest(DeadLetterController.class)
@Import(WebSliceSecurity.class)
class DeadLetterApiFuzzTests {

  @Autowired MockMvcTester mvc;
  @Autowired JsonMapper json;
  @MockitoBean DeadLetterAdmin admin;

  DeadLetterApiFuzzTests() {
    SpringTestContext.inject(this);
    given(admin.list(any(), anyInt())).willReturn(new DeadLetterPage(List.of(), 0, 0, true));
    given(admin.replay(any())).willReturn(new ReplayResponse(List.of(), 0, 0, true));
    given(admin.discard(anyString())).willReturn(new DiscardResult("x", 1, null, null));
  }

  @Property(tries = 400)
  void anyListQueryIsAPageOrA400Problem(
      @ForAll("values") String reason,
      @ForAll("values") String host,
      @ForAll("values") String since,
      @ForAll("values") String limit) {
    URI uri =
        UriComponentsBuilder.fromPath("/dead-letters")
            .queryParam("reason", reason)
            .queryParam("host", host)
            .queryParam("since", since)
            .queryParam("limit", limit)
            .encode()
            .build()
            .toUri();

    assertOkOrProblem(admin(mvc.get().uri(uri)).exchange(), 400);
  }

  @Property(tries = 400)
  void anyReplayBodyIsReplayedOrA400Problem(@ForAll("replayBodies") String body) {
    MvcTestResult result =
        admin(mvc.post().uri("/dead-letters/replay"))
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();

    assertOkOrProblem(result, 400, 413);
  }

  @Property(tries = 200)
  void anyIdToDiscardIsHandled(@ForAll("values") String id) {
    URI uri = URI.create("/dead-letters/" + UriUtils.encodePathSegment(id, "UTF-8"));

    assertOkOrProblem(admin(mvc.delete().uri(uri)).exchange(), 404, 405);
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of(
            "POISON",
            "HTTP_TRANSIENT",
            "http_transient",
            "example.org",
            "2026-02-01T00:00:00Z",
            "2026-02-01",
            "yesterday",
            "+1000000000-01-01T00:00:00Z",
            "0",
            "1000",
            "1001",
            "-5",
            "99999999999",
            "",
            " "));
  }

  @Provide
  Arbitrary<String> replayBodies() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .ofMaxLength(20)
                .map(s -> json.getNodeFactory().textNode(s).toString()),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.of(
                "null",
                "[]",
                "{}",
                "true",
                "\"01890a5d-ac96-774b-bcce-b302099a8057\"",
                "[\"01890a5d-ac96-774b-bcce-b302099a8057\"]",
                "[null]",
                "[\"x\"]",
                "{\"reason\":\"POISON\"}",
                "{\"reason\":\"NOPE\"}",
                "{\"since\":\"x\"}",
                "{\"host\":[]}",
                "2000",
                "0"));
    Arbitrary<String> fields = Arbitraries.of("jobIds", "filter", "limit", "other");
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(100),
        fields
            .list()
            .ofMaxSize(3)
            .flatMap(
                names ->
                    value
                        .list()
                        .ofSize(names.size())
                        .map(
                            values -> {
                              var sb = new StringBuilder("{");
                              for (int i = 0; i < names.size(); i++) {
                                sb.append(i == 0 ? "" : ",")
                                    .append('"')
                                    .append(names.get(i))
                                    .append("\":")
                                    .append(values.get(i));
                              }
                              return sb.append('}').toString();
                            })));
  }

  private static <
          T extends
              org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder<T>>
      T admin(T request) {
    return request.header("Authorization", WebSliceSecurity.bearer(WebSliceSecurity.ADMIN_KEY));
  }

  private void assertOkOrProblem(MvcTestResult result, int... problems) {
    int status = result.getResponse().getStatus();
    if (status == 200) {
      return;
    }
    assertThat(problems).as("status %d", status).contains(status);
    assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
    assertThat(json.readTree(result.getResponse().getContentAsByteArray()).get("status").asInt())
        .isEqualTo(status);
  }
}
