package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.destination.BlockedDestinations;
import dev.fetchq.worker.storage.StorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.CircularRedirectException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.UnsupportedSchemeException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureClassifierTests {

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 410, 451, 402, 405, 409, 413, 418, 499})
  void clientErrorsArePermanent(int status) {
    Failure failure = FailureClassifier.classify(new HttpStatusException(status, "Nope"));

    assertThat(failure.reason()).isEqualTo(FailureReason.HTTP_CLIENT_ERROR);
    assertThat(failure.reason().permanent()).isTrue();
    assertThat(failure.httpStatus()).isEqualTo(status);
    assertThat(failure.message()).isEqualTo("HTTP " + status + " Nope");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504, 599})
  void timeoutsRateLimitsAndServerErrorsAreTransient(int status) {
    Failure failure = FailureClassifier.classify(new HttpStatusException(status, null));

    assertThat(failure.reason()).isEqualTo(FailureReason.HTTP_TRANSIENT);
    assertThat(failure.reason().permanent()).isFalse();
    assertThat(failure.httpStatus()).isEqualTo(status);
    assertThat(failure.message()).isEqualTo("HTTP " + status);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 304, 302, 600})
  void otherStatusesAreUnknown(int status) {
    Failure failure = FailureClassifier.classify(new HttpStatusException(status, ""));

    assertThat(failure.reason()).isEqualTo(FailureReason.UNKNOWN);
    assertThat(failure.httpStatus()).isEqualTo(status);
  }

  @Test
  void aRefusedDestinationIsBlockedNotADnsFailure() {
    Failure failure =
        FailureClassifier.classify(
            new ClientProtocolException("wrapped", BlockedDestinations.loopback()));

    assertThat(failure.reason()).isEqualTo(FailureReason.BLOCKED_DESTINATION);
    assertThat(failure.reason().permanent()).isTrue();
    assertThat(failure.message())
        .isEqualTo(
            "127.0.0.1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it");
  }

  @Test
  void anUnknownHostIsADnsFailure() {
    assertThat(reason(new UnknownHostException("nowhere.invalid"))).isEqualTo(FailureReason.DNS);
    assertThat(FailureClassifier.classify(new UnknownHostException("nowhere.invalid")).message())
        .isEqualTo("unknown host nowhere.invalid");
  }

  @Test
  void connectAndReadTimeoutsAreTimeouts() {
    assertThat(reason(new SocketTimeoutException("Read timed out")))
        .isEqualTo(FailureReason.TIMEOUT);
    assertThat(reason(new ConnectTimeoutException("Connect timed out")))
        .isEqualTo(FailureReason.TIMEOUT);
  }

  @Test
  void brokenConnectionsAreConnectionFailures() {
    assertThat(reason(new ConnectException("Connection refused")))
        .isEqualTo(FailureReason.CONNECTION);
    assertThat(reason(new HttpHostConnectException("Connect to 127.0.0.1:1 failed")))
        .isEqualTo(FailureReason.CONNECTION);
    assertThat(reason(new NoHttpResponseException("127.0.0.1:1 failed to respond")))
        .isEqualTo(FailureReason.CONNECTION);
    assertThat(reason(new ConnectionClosedException("Premature end of Content-Length body")))
        .isEqualTo(FailureReason.CONNECTION);
    assertThat(reason(new TruncatedChunkException("Truncated chunk")))
        .isEqualTo(FailureReason.CONNECTION);
    assertThat(reason(new SSLHandshakeException("PKIX path building failed")))
        .isEqualTo(FailureReason.CONNECTION);
  }

  @Test
  void tooManyOrCircularRedirectsAndForeignSchemesAreInvalidUrls() {
    assertThat(
            reason(
                new ClientProtocolException(
                    new RedirectException("Maximum redirects (5) exceeded"))))
        .isEqualTo(FailureReason.INVALID_URL);
    assertThat(reason(new ClientProtocolException(new CircularRedirectException("to /a"))))
        .isEqualTo(FailureReason.INVALID_URL);
    assertThat(reason(new UnsupportedSchemeException("ftp protocol is not supported")))
        .isEqualTo(FailureReason.INVALID_URL);
  }

  @Test
  void theWorkersOwnRejectionsKeepTheirReason() {
    var rejection =
        new DownloadRejectedException(FailureReason.TOO_LARGE, "body exceeds the limit");

    Failure failure = FailureClassifier.classify(rejection);

    assertThat(failure).isEqualTo(Failure.of(FailureReason.TOO_LARGE, "body exceeds the limit"));
  }

  @Test
  void storageProblemsAreStorageFailuresEvenThoughTheyAreIoExceptions() {
    var error =
        new StorageException("cannot write /data/57/x.part", new IOException("No space left"));

    Failure failure = FailureClassifier.classify(error);

    assertThat(failure.reason()).isEqualTo(FailureReason.STORAGE);
    assertThat(failure.reason().permanent()).isFalse();
    assertThat(failure.message()).contains("cannot write /data/57/x.part", "No space left");
  }

  @Test
  void theCauseChainIsSearchedFromTheOutside() {
    var wrapped = new IOException("request failed", new UnknownHostException("nowhere.invalid"));

    assertThat(reason(wrapped)).isEqualTo(FailureReason.DNS);
  }

  @Test
  void anythingElseIsUnknownAndSaysWhatItWas() {
    Failure failure = FailureClassifier.classify(new IllegalStateException("pool shut down"));

    assertThat(failure.reason()).isEqualTo(FailureReason.UNKNOWN);
    assertThat(failure.reason().permanent()).isFalse();
    assertThat(failure.httpStatus()).isNull();
    assertThat(failure.message()).isEqualTo("IllegalStateException: pool shut down");
  }

  private static FailureReason reason(Throwable error) {
    return FailureClassifier.classify(error).reason();
  }
}
