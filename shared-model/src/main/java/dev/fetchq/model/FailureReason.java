package dev.fetchq.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Why an attempt failed, as a small closed set of classes that metrics, alerts and the dead-letter
 * API can group by. Each class says whether retrying can help; see the failure taxonomy in
 * ARCHITECTURE.md.
 */
public enum FailureReason {
  /** 400, 401, 403, 404, 410, 451 and other 4xx answers that a retry will not change. */
  HTTP_CLIENT_ERROR(true),
  /** 408, 425, 429 and 5xx answers: the origin may answer differently later. */
  HTTP_TRANSIENT(false),
  /** Connect, read or overall timeout, or a download slower than the minimum speed. */
  TIMEOUT(false),
  /** Connection refused or reset, TLS failure, body ended early. */
  CONNECTION(false),
  /** The host name could not be resolved. */
  DNS(false),
  /** The URL cannot be fetched at all (scheme, syntax, too many redirects). */
  INVALID_URL(true),
  /** The destination resolves to an address the worker refuses to connect to (SSRF guard). */
  BLOCKED_DESTINATION(true),
  /** The body is larger than the configured maximum. */
  TOO_LARGE(true),
  /** The downloaded file does not have the expected SHA-256. */
  CHECKSUM_MISMATCH(true),
  /** The message could not be read as a job at all. */
  POISON(true),
  /** The worker could not write the file to storage. */
  STORAGE(false),
  /** Anything not classified above: transient until the attempt limit. */
  @JsonEnumDefaultValue
  UNKNOWN(false);

  private final boolean permanent;

  FailureReason(boolean permanent) {
    this.permanent = permanent;
  }

  /**
   * Whether another attempt cannot succeed, so the job should go straight to the dead-letter queue.
   */
  public boolean permanent() {
    return permanent;
  }
}
