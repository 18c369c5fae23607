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

/**
 * Streams one response body into a {@link StagedFile}, hashing it on the way and enforcing the size
 * limit, without ever holding more than one buffer of it in memory.
 */
final class BodyStreamer implements HttpClientResponseHandler<BodyStreamer.Body> {

  /** Large enough that per-chunk costs (hash update, write call, progress check) are noise. */
  private static final int BUFFER_SIZE = 128 * 1024;

  /** What was stored. */
  record Body(long bytes, String sha256, String contentType) {}

  private final StagedFile file;
  private final long maxBytes;
  private final ProgressListener progress;

  BodyStreamer(StagedFile file, long maxBytes, ProgressListener progress) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.progress = progress;
  }

  @Override
  public Body handleResponse(ClassicHttpResponse response) throws IOException {
    progress.responseStarted();
    int status = response.getCode();
    HttpEntity entity = response.getEntity();
    if (status < 200 || status > 299) {
      abandon(entity);
      var retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
      throw new HttpStatusException(
          status, response.getReasonPhrase(), retryAfter == null ? null : retryAfter.getValue());
    }
    MessageDigest sha256 = sha256();
    if (entity == null) {
      return new Body(0, hex(sha256), null);
    }
    long length = entity.getContentLength();
    if (length > maxBytes) {
      abandon(entity);
      throw tooLarge("Content-Length " + length);
    }
    Long total = length >= 0 ? length : null;
    try (InputStream in = entity.getContent()) {
      long bytes = copy(in, sha256, total);
      return new Body(bytes, hex(sha256), entity.getContentType());
    }
  }

  private long copy(InputStream in, MessageDigest sha256, Long total) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    long bytes = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      if (Thread.currentThread().isInterrupted()) {
        abort(in);
        throw new InterruptedIOException("interrupted after " + bytes + " bytes");
      }
      bytes += n;
      if (bytes > maxBytes) {
        abort(in);
        throw tooLarge("more than " + maxBytes + " bytes received");
      }
      sha256.update(buffer, 0, n);
      file.write(buffer, 0, n);
      progress.bytesStored(bytes, total);
    }
    return bytes;
  }

  private DownloadRejectedException tooLarge(String detail) {
    return new DownloadRejectedException(
        FailureReason.TOO_LARGE,
        "body exceeds the limit of " + maxBytes + " bytes (" + detail + ")");
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

  private static MessageDigest sha256() {
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
