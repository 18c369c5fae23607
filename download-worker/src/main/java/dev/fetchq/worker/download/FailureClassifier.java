package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.destination.BlockedDestinationException;
import dev.fetchq.worker.storage.StorageException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.UnsupportedSchemeException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Turns whatever ended a download into a {@link Failure}, following the failure taxonomy of
 * ARCHITECTURE.md. Whether a reason is worth retrying is the reason's own property ({@link
 * FailureReason#permanent()}); this class only names it. Anything it does not recognise is {@link
 * FailureReason#UNKNOWN}, which is transient.
 */
final class FailureClassifier {

  private FailureClassifier() {}

  static Failure classify(Throwable error) {
    // The first recognised exception from the outside in: HttpClient wraps, e.g. a
    // RedirectException in a ClientProtocolException.
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Failure failure = classifyOne(t);
      if (failure != null) {
        return failure;
      }
    }
    return Failure.of(FailureReason.UNKNOWN, describe(error));
  }

  /** 4xx are permanent except 408, 425 and 429; those and 5xx are transient. */
  static FailureReason forStatus(int status) {
    if (status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599)) {
      return FailureReason.HTTP_TRANSIENT;
    }
    if (status >= 400 && status <= 499) {
      return FailureReason.HTTP_CLIENT_ERROR;
    }
    // 1xx or a 3xx that could not be followed (e.g. no Location).
    return FailureReason.UNKNOWN;
  }

  private static Failure classifyOne(Throwable t) {
    return switch (t) {
      case HttpStatusException e -> Failure.http(forStatus(e.status()), e.status(), e.getMessage());
      case DownloadRejectedException e -> Failure.of(e.reason(), e.getMessage());
      case StorageException e -> Failure.of(FailureReason.STORAGE, e.getMessage());
      // Before UnknownHostException, which it is (the only checked type a resolver may throw).
      case BlockedDestinationException e ->
          Failure.of(FailureReason.BLOCKED_DESTINATION, e.getMessage());
      case UnknownHostException e ->
          Failure.of(FailureReason.DNS, "unknown host " + e.getMessage());
      // Connect and read timeouts (HttpClient's ConnectTimeoutException is a subclass).
      case SocketTimeoutException e -> Failure.of(FailureReason.TIMEOUT, describe(e));
      // Too many redirects, or a circular one.
      case RedirectException e -> Failure.of(FailureReason.INVALID_URL, describe(e));
      // A redirect to a scheme other than http(s).
      case UnsupportedSchemeException e -> Failure.of(FailureReason.INVALID_URL, describe(e));
      case ConnectException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      case NoHttpResponseException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      // The body ended before its Content-Length or last chunk.
      case ConnectionClosedException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      case MalformedChunkCodingException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      case SSLException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      case SocketException e -> Failure.of(FailureReason.CONNECTION, describe(e));
      default -> null;
    };
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
