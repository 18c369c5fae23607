package dev.fetchq.worker.download;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is recorded beside a partial file ({@code <jobId>.part.meta}) when its first byte is about
 * to be written: enough to ask the origin for the rest of the same representation later, on any
 * worker. How many bytes there are is never recorded: that is the part file's size, which is all
 * that survived.
 *
 * <p>A representation can be resumed only with a strong validator (RFC 9110 §8.8.1): a strong
 * entity tag, or else a {@code Last-Modified} at least a second older than the answer's {@code
 * Date}, which makes it strong (§8.8.2.2). Without one, no state is recorded and an interrupted
 * download starts again.
 *
 * @param version the format of this record, {@value #VERSION}
 * @param url the job's URL (before redirects: each attempt follows them again)
 * @param etag the strong entity tag, quoted as sent, or {@code null}
 * @param lastModified the {@code Last-Modified} date as sent, when there is no strong entity tag
 * @param totalBytes the representation's length, when announced
 * @param contentType its {@code Content-Type}, when sent
 */
record PartState(
    int version,
    String url,
    String etag,
    String lastModified,
    Long totalBytes,
    String contentType) {

  static final int VERSION = 1;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The state to record for a full answer to {@code url}, or empty if it cannot be resumed. */
  static Optional<PartState> of(String url, HttpResponse response, long contentLength) {
    String etag = strongEtag(response);
    String lastModified = etag == null ? strongLastModified(response) : null;
    if (etag == null && lastModified == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PartState(
            VERSION,
            url,
            etag,
            lastModified,
            contentLength >= 0 ? contentLength : null,
            value(response, HttpHeaders.CONTENT_TYPE)));
  }

  static Optional<PartState> fromJson(String json) {
    try {
      var state = JSON.readValue(json, PartState.class);
      return state.version() == VERSION && state.url() != null && state.validator() != null
          ? Optional.of(state)
          : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  String toJson() {
    return JSON.writeValueAsString(this);
  }

  /** The {@code If-Range} value: the entity tag, or else the date. */
  String validator() {
    return etag != null ? etag : lastModified;
  }

  /**
   * Why a partial file of {@code partBytes} described by this state cannot be continued for a
   * download of {@code url}, or empty when it can.
   */
  Optional<String> unusableFor(String url, long partBytes, long maxBytes) {
    if (!url.equals(this.url)) {
      return Optional.of("it was started for another URL");
    }
    if (totalBytes != null && partBytes >= totalBytes) {
      // Complete but never committed (the worker stopped in between), or inconsistent: the
      // remaining range would be empty, which no origin can serve.
      return Optional.of("it already holds " + partBytes + " of " + totalBytes + " bytes");
    }
    if (partBytes > maxBytes) {
      return Optional.of("it is larger than the size limit");
    }
    return Optional.empty();
  }

  /**
   * Why a {@code 206} answer to {@code Range: bytes=offset-} does not continue this representation,
   * or empty when it does: the range must start at {@code offset} and run to the end of a
   * representation of the recorded length, and the validator must be the recorded one.
   *
   * @param entityLength the answer's Content-Length, or -1
   */
  Optional<String> mismatch(HttpResponse response, long offset, long entityLength) {
    String header = value(response, HttpHeaders.CONTENT_RANGE);
    var range = ContentRange.parse(header);
    if (range.isEmpty()) {
      return Optional.of("its Content-Range '" + header + "' is not a byte range");
    }
    ContentRange r = range.get();
    if (r.first() != offset) {
      return Optional.of("it starts at byte " + r.first() + ", not at " + offset);
    }
    if (totalBytes != null && !totalBytes.equals(r.total())) {
      return Optional.of(
          "its total length " + r.total() + " is not the " + totalBytes + " recorded");
    }
    if (r.total() != null && r.last() != r.total() - 1) {
      return Optional.of("it ends at byte " + r.last() + ", before the end");
    }
    if (entityLength >= 0 && entityLength != r.length()) {
      return Optional.of("its Content-Length " + entityLength + " does not match " + r);
    }
    String answerEtag = value(response, HttpHeaders.ETAG);
    if (etag != null && answerEtag != null && !etag.equals(answerEtag)) {
      return Optional.of("its ETag " + answerEtag + " is not the " + etag + " recorded");
    }
    String answerDate = value(response, HttpHeaders.LAST_MODIFIED);
    if (etag == null && answerDate != null && !lastModified.equals(answerDate)) {
      return Optional.of(
          "its Last-Modified " + answerDate + " is not the " + lastModified + " recorded");
    }
    return Optional.empty();
  }

  /** The total length a 206 answer announces, if any. */
  static Long totalOf(HttpResponse response) {
    return ContentRange.parse(value(response, HttpHeaders.CONTENT_RANGE))
        .map(ContentRange::total)
        .orElse(null);
  }

  private static String strongEtag(HttpResponse response) {
    String etag = value(response, HttpHeaders.ETAG);
    return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag
        : null;
  }

  private static String strongLastModified(HttpResponse response) {
    String lastModified = value(response, HttpHeaders.LAST_MODIFIED);
    String dateHeader = value(response, HttpHeaders.DATE);
    if (lastModified == null || dateHeader == null) {
      return null;
    }
    Instant modified = DateUtils.parseStandardDate(lastModified);
    Instant date = DateUtils.parseStandardDate(dateHeader);
    if (modified == null || date == null) {
      return null;
    }
    return Duration.between(modified, date).compareTo(Duration.ofSeconds(1)) >= 0
        ? lastModified
        : null;
  }

  static String value(HttpResponse response, String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue().strip();
  }
}
