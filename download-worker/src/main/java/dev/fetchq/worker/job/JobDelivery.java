package dev.fetchq.worker.job;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Headers;
import java.util.UUID;
import org.springframework.amqp.core.Message;

/**
 * One delivery of a job message: the job, which attempt this is, where its current attempt budget
 * began, and the message as received (a dead letter or retry republishes its body unchanged).
 *
 * @param attempt the 1-based attempt number ({@link Headers#ATTEMPT})
 * @param budgetStart the attempt number the current budget began with ({@link
 *     Headers#BUDGET_START}): 1, or the first attempt after a replay from the dead-letter queue
 */
record JobDelivery(DownloadJob job, int attempt, int budgetStart, Message message) {

  static JobDelivery of(DownloadJob job, Message message) {
    return new JobDelivery(
        job, attemptOf(message), positiveHeader(message, Headers.BUDGET_START), message);
  }

  UUID jobId() {
    return job.jobId();
  }

  /**
   * How many attempts of the current budget have been made, this one included. At least 1, even if
   * a budget start beyond the attempt arrives.
   */
  int attemptsInBudget() {
    return Math.max(1, attempt - budgetStart + 1);
  }

  /** The {@link Headers#ATTEMPT} header; 1 when absent (the first publish) or unreadable. */
  static int attemptOf(Message message) {
    return positiveHeader(message, Headers.ATTEMPT);
  }

  /** A header holding a positive count; 1 when absent or unreadable. */
  private static int positiveHeader(Message message, String name) {
    Object value = message.getMessageProperties().getHeaders().get(name);
    int number =
        switch (value) {
          case Number n -> n.intValue();
          case String text when text.strip().matches("\\d{1,9}") -> Integer.parseInt(text.strip());
          case null, default -> 1;
        };
    return Math.max(number, 1);
  }
}
