package dev.fetchq.worker.job;

import dev.fetchq.model.Failure;
import dev.fetchq.worker.download.DownloadResult;
import java.time.Instant;

/** How one attempt at a job ended, before anything is decided or published about it. */
sealed interface AttemptOutcome {

  /** When the attempt started (its Started event). */
  Instant startedAt();

  /** The file is stored and verified. */
  record Succeeded(Instant startedAt, DownloadResult result) implements AttemptOutcome {}

  /** The attempt produced no file. */
  record Failed(Instant startedAt, Failure failure) implements AttemptOutcome {}
}
