package dev.fetchq.worker.job;

import dev.fetchq.model.Failure;
import dev.fetchq.worker.download.DownloadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How one attempt at a job ended, before anything is decided or published about it. */
sealed interface AttemptOutcome {

  /** When the attempt started (its Started event). */
  Instant startedAt();

  /** The attempt's Started event: sent already, or still to come. */
  StartAnnouncement announcement();

  /** The file is stored and verified. */
  record Succeeded(StartAnnouncement announcement, Instant startedAt, DownloadResult result)
      implements AttemptOutcome {}

  /**
   * The attempt produced no file.
   *
   * @param retryAfter how long the origin asked us to wait, if it did
   */
  record Failed(
      StartAnnouncement announcement,
      Instant startedAt,
      Failure failure,
      Optional<Duration> retryAfter)
      implements AttemptOutcome {}

  /** The job was cancelled while the attempt ran; nothing was stored. */
  record Cancelled(StartAnnouncement announcement, Instant startedAt) implements AttemptOutcome {}
}
