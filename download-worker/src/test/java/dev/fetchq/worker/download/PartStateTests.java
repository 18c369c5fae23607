package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

class PartStateTests {

  private static final String URL = "https://example.org/big.iso";
  private static final String DATE = "Fri, 27 Nov 2026 10:00:00 GMT";
  private static final String EARLIER = "Thu, 26 Nov 2026 10:00:00 GMT";

  @Test
  void aStrongEntityTagMakesAFullAnswerResumable() {
    var state = PartState.of(URL, response(200, "ETag", "\"v1\"", "Content-Type", "x/y"), 1000);

    assertThat(state).hasValue(new PartState(PartState.VERSION, URL, "\"v1\"", null, 1000L, "x/y"));
    assertThat(state.orElseThrow().validator()).isEqualTo("\"v1\"");
  }

  @Test
  void withoutAStrongEntityTagALastModifiedOlderThanTheAnswerIsTheValidator() {
    var weak = response(200, "ETag", "W/\"v1\"", "Last-Modified", EARLIER, "Date", DATE);

    var state = PartState.of(URL, weak, -1);

    assertThat(state).hasValue(new PartState(PartState.VERSION, URL, null, EARLIER, null, null));
    assertThat(state.orElseThrow().validator()).isEqualTo(EARLIER);
  }

  @Test
  void aWeakOrMissingValidatorMakesItUnresumable() {
    assertThat(PartState.of(URL, response(200, "ETag", "W/\"v1\""), 10)).isEmpty();
    assertThat(PartState.of(URL, response(200), 10)).isEmpty();
    // Modified within the second of the answer: it may change again in that second (weak).
    assertThat(PartState.of(URL, response(200, "Last-Modified", DATE, "Date", DATE), 10)).isEmpty();
    assertThat(PartState.of(URL, response(200, "Last-Modified", EARLIER), 10)).isEmpty();
    assertThat(PartState.of(URL, response(200, "ETag", "v1-unquoted"), 10)).isEmpty();
  }

  @Test
  void itTravelsAsJsonAndUnreadableRecordsAreIgnored() {
    var state = new PartState(PartState.VERSION, URL, "\"v1\"", null, 1000L, "x/y");

    assertThat(PartState.fromJson(state.toJson())).hasValue(state);
    assertThat(state.toJson()).contains("\"url\":\"" + URL + "\"", "\"etag\":\"\\\"v1\\\"\"");
    assertThat(PartState.fromJson("{not json")).isEmpty();
    assertThat(PartState.fromJson("{\"version\":2,\"url\":\"x\",\"etag\":\"\\\"v\\\"\"}"))
        .isEmpty();
    assertThat(PartState.fromJson("{\"version\":1,\"url\":\"x\"}")).isEmpty();
    assertThat(PartState.fromJson("")).isEmpty();
  }

  @Test
  void aPartCanBeContinuedForItsUrlWhileIncompleteAndWithinTheLimit() {
    var state = new PartState(PartState.VERSION, URL, "\"v1\"", null, 1000L, null);

    assertThat(state.unusableFor(URL, 400, 10_000)).isEmpty();
    assertThat(state.unusableFor(URL + "?other", 400, 10_000))
        .hasValue("it was started for another URL");
    assertThat(state.unusableFor(URL, 1000, 10_000))
        .hasValue("it already holds 1000 of 1000 bytes");
    assertThat(state.unusableFor(URL, 1200, 10_000)).isPresent();
    assertThat(state.unusableFor(URL, 400, 300)).hasValue("it is larger than the size limit");
  }

  @Test
  void a206ContinuesThePartOnlyFromItsEndToTheRecordedEndWithTheRecordedValidator() {
    var state = new PartState(PartState.VERSION, URL, "\"v1\"", null, 1000L, null);

    assertThat(state.mismatch(partial("bytes 400-999/1000", "\"v1\""), 400, 600)).isEmpty();
    assertThat(state.mismatch(partial("bytes 400-999/1000", null), 400, -1)).isEmpty();
    assertThat(state.mismatch(partial("bytes 0-999/1000", "\"v1\""), 400, 1000))
        .hasValue("it starts at byte 0, not at 400");
    assertThat(state.mismatch(partial("bytes 400-1199/1200", "\"v1\""), 400, 800))
        .hasValue("its total length 1200 is not the 1000 recorded");
    assertThat(state.mismatch(partial("bytes 400-499/1000", "\"v1\""), 400, 100))
        .hasValue("it ends at byte 499, before the end");
    assertThat(state.mismatch(partial("bytes 400-999/1000", "\"v2\""), 400, 600))
        .hasValue("its ETag \"v2\" is not the \"v1\" recorded");
    assertThat(state.mismatch(partial("bytes 400-999/1000", "\"v1\""), 400, 599))
        .hasValue("its Content-Length 599 does not match bytes 400-999/1000");
    assertThat(state.mismatch(partial(null, "\"v1\""), 400, 600))
        .hasValue("its Content-Range 'null' is not a byte range");
  }

  @Test
  void withADateValidatorTheAnswersDateMustBeTheSame() {
    var state = new PartState(PartState.VERSION, URL, null, EARLIER, null, null);

    assertThat(state.mismatch(response(206, "Content-Range", "bytes 4-9/10"), 4, 6)).isEmpty();
    assertThat(
            state.mismatch(
                response(206, "Content-Range", "bytes 4-9/10", "Last-Modified", DATE), 4, 6))
        .hasValueSatisfying(why -> assertThat(why).startsWith("its Last-Modified"));
    // Unknown total when started: any total will do.
    assertThat(state.mismatch(response(206, "Content-Range", "bytes 4-9/*"), 4, 6)).isEmpty();
  }

  private static BasicHttpResponse partial(String contentRange, String etag) {
    var response = response(206);
    if (contentRange != null) {
      response.addHeader("Content-Range", contentRange);
    }
    if (etag != null) {
      response.addHeader("ETag", etag);
    }
    return response;
  }

  private static BasicHttpResponse response(int status, String... headers) {
    var response = new BasicHttpResponse(status);
    for (int i = 0; i < headers.length; i += 2) {
      response.addHeader(headers[i], headers[i + 1]);
    }
    return response;
  }
}
