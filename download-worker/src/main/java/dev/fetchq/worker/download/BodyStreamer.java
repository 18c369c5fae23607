package dev.fetchq.worker.download;

import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.storage.StagedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one response body into a {@link StagedFile}, hashing it on the way and enforcing the size
 * limit, without ever holding more than one buffer of it in memory.
 *
 * <p>When the request asked for the rest of a partial file ({@code resume} is given), a {@code 206}
 * whose range and validator continue it exactly is appended after hashing the bytes already there;
 * a {@code 200} (the origin ignored the range, or {@code If-Range} found the file changed) replaces
 * the part from byte 0; any other {@code 206}, or a {@code 416}, is abandoned and answered with
 * {@link Restart}, for the downloader to ask again without a range.
 */
final class BodyStreamer implements HttpClientResponseHandler<BodyStreamer.Outcome> {

  private static final Logger log = LoggerFactory.getLogger(BodyStreamer.class);

  /**
   * Large enough that per-chunk costs (hash update, write call, progress check) are noise, and no
   * larger than what one read returns: the JDK's socket reads at most 128 KiB per call. The bytes
   * stay in a heap array on purpose: the socket stream copies into it from its own direct buffer
   * whatever we pass, and SHA-256 over a direct buffer would copy back into a temporary array, so a
   * direct buffer here would save no copy.
   */
  static final int BUFFER_SIZE = 128 * 1024;

  /** The smallest buffer, for a body announced as smaller. */
  private static final int MIN_BUFFER_SIZE = 8 * 1024;

  sealed interface Outcome {}

  /**
   * What was stored.
   *
   * @param bytes the part's size now
   * @param resumedFrom how many of those bytes an earlier attempt had stored
   */
  record Stored(long bytes, String sha256, String contentType, long resumedFrom)
      implements Outcome {}

  /** The answer cannot continue the partial file; nothing was written. */
  record Restart(String reason) implements Outcome {}

  private final StagedFile file;
  private final PartState resume;
  private final DownloadRequest request;
  private final ProgressListener progress;
  private final TransferWatch watch;

  /**
   * @param resume the recorded state of the partial file the request asks the rest of (with {@code
   *     Range} and {@code If-Range}), or {@code null} for a request of the whole file
   */
  BodyStreamer(
      StagedFile file,
      PartState resume,
      DownloadRequest request,
      ProgressListener progress,
      TransferWatch watch) {
    this.file = file;
    this.resume = resume;
    this.request = request;
    this.progress = progress;
    this.watch = watch;
  }

  @Override
  public Outcome handleResponse(ClassicHttpResponse response) throws IOException {
    progress.responseStarted();
    watch.responseStarted();
    int status = response.getCode();
    HttpEntity entity = response.getEntity();
    if (resume != null && status == 416) {
      abandon(entity);
      return new Restart("the origin answered 416 Range Not Satisfiable");
    }
    if (status < 200 || status > 299) {
      abandon(entity);
      var retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
      throw new HttpStatusException(
          status, response.getReasonPhrase(), retryAfter == null ? null : retryAfter.getValue());
    }
    if (status == 206) {
      return continuePart(response, entity);
    }
    return replacePart(response, entity);
  }

  private Outcome continuePart(ClassicHttpResponse response, HttpEntity entity) throws IOException {
    if (resume == null) {
      abandon(entity);
      throw new HttpStatusException(206, "Partial Content, to a request for the whole file");
    }
    long offset = file.size();
    long length = entity == null ? 0 : entity.getContentLength();
    var mismatch = resume.mismatch(response, offset, length);
    if (mismatch.isPresent()) {
      abandon(entity);
      return new Restart("the origin's 206 answer does not continue it: " + mismatch.get());
    }
    Long total = PartState.totalOf(response);
    if (total != null && total > request.maxBytes()) {
      abandon(entity);
      throw tooLarge("Content-Range total " + total);
    }
    MessageDigest sha256 = sha256();
    hashExisting(sha256);
    // Hashing a large part takes a while in which nothing is read: the speed is measured from now.
    watch.responseStarted();
    log.info(
        "Job {}: resuming at byte {} of {} ({} bytes stored by an earlier attempt)",
        request.jobId(),
        offset,
        total == null ? "?" : total,
        offset);
    progress.resumed(offset);
    String contentType = PartState.value(response, HttpHeaders.CONTENT_TYPE);
    long bytes = entity == null ? offset : stream(entity, sha256, offset, total, length);
    return new Stored(
        bytes, hex(sha256), contentType != null ? contentType : resume.contentType(), offset);
  }

  private Outcome replacePart(ClassicHttpResponse response, HttpEntity entity) throws IOException {
    MessageDigest sha256 = sha256();
    long length = entity == null ? 0 : entity.getContentLength();
    if (length > request.maxBytes()) {
      abandon(entity);
      throw tooLarge("Content-Length " + length);
    }
    if (resume != null) {
      log.info(
          "Job {}: the origin answered {} to the range request (it ignores ranges or the file"
              + " changed); the {} bytes stored are downloaded again",
          request.jobId(),
          response.getCode(),
          file.size());
      progress.restarted(file.size());
    }
    var state = PartState.of(request.url(), response, length);
    file.restart(state.map(PartState::toJson).orElse(null));
    if (entity == null) {
      return new Stored(0, hex(sha256), null, 0);
    }
    long bytes = stream(entity, sha256, 0, length >= 0 ? length : null, length);
    return new Stored(bytes, hex(sha256), entity.getContentType(), 0);
  }

  /**
   * @param length the body's announced length, or -1
   */
  private long stream(HttpEntity entity, MessageDigest sha256, long offset, Long total, long length)
      throws IOException {
    try (InputStream in = entity.getContent()) {
      return copy(in, sha256, offset, total, bufferFor(length));
    }
  }

  /**
   * A buffer no larger than the announced body: a small file (most jobs) must not cost a large
   * allocation.
   */
  static byte[] bufferFor(long length) {
    return new byte[length < 0 ? BUFFER_SIZE : Math.clamp(length, MIN_BUFFER_SIZE, BUFFER_SIZE)];
  }

  private long copy(InputStream in, MessageDigest sha256, long offset, Long total, byte[] buffer)
      throws IOException {
    long bytes = offset;
    int n;
    while ((n = in.read(buffer)) != -1) {
      if (Thread.currentThread().isInterrupted()) {
        abort(in);
        throw new InterruptedIOException("interrupted after " + bytes + " bytes");
      }
      bytes += n;
      if (bytes > request.maxBytes()) {
        abort(in);
        throw tooLarge("more than " + request.maxBytes() + " bytes received");
      }
      sha256.update(buffer, 0, n);
      file.write(buffer, 0, n);
      watch.received(n);
      progress.bytesStored(bytes, total);
    }
    return bytes;
  }

  /** Feeds the bytes an earlier attempt stored into the digest, so it covers the whole file. */
  private void hashExisting(MessageDigest sha256) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    try (InputStream existing = file.readBack()) {
      int n;
      while ((n = existing.read(buffer)) != -1) {
        sha256.update(buffer, 0, n);
      }
    }
  }

  private DownloadRejectedException tooLarge(String detail) {
    return new DownloadRejectedException(
        FailureReason.TOO_LARGE,
        "body exceeds the limit of " + request.maxBytes() + " bytes (" + detail + ")");
  }

  /** Gives up on a body without reading it: closing it normally would drain it to the end. */
  private static void abandon(HttpEntity entity) throws IOException {
    if (entity != null && entity.isStreaming()) {
      abort(entity.getContent());
    }
  }

  private static void abort(InputStream in) throws IOException {
    if (in instanceof EofSensorInputStream sensor) {
      // Closes the connection instead of draining it (which could mean reading gigabytes).
      sensor.abort();
    }
  }

  /** Cloned for each body: cheaper than looking the algorithm up in the providers each time. */
  private static final MessageDigest SHA256 = newSha256();

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
