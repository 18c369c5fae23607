package dev.fetchq.worker.job;

import dev.fetchq.model.Failure;
import org.springframework.stereotype.Component;

/**
 * Decides whether a failed job gets another attempt. Until retry tiers exist every failure is
 * final: permanent ones because retrying cannot help, transient ones because there is nowhere yet
 * to wait without blocking a consumer.
 */
@Component
class FailurePolicy {

  FailureDecision decide(Failure failure, int attempt) {
    if (failure.reason().permanent()) {
      return new FailureDecision.DeadLetter("permanent failure");
    }
    return new FailureDecision.DeadLetter("transient failure, no retry configured");
  }
}
