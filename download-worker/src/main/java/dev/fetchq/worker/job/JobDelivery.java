package dev.fetchq.worker.job;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Headers;
import java.util.UUID;
import org.springframework.amqp.core.Message;

/**
 * One delivery of a job message: the job, which attempt this is, and the message as received (a
 * dead letter or retry republishes its body unchanged).
 */
record JobDelivery(DownloadJob job, int attempt, Message message) {

  static JobDelivery of(DownloadJob job, Message message) {
    return new JobDelivery(job, attemptOf(message), message);
  }

  UUID jobId() {
    return job.jobId();
  }

  /** The {@link Headers#ATTEMPT} header; 1 when absent (the first publish) or unreadable. */
  static int attemptOf(Message message) {
    Object value = message.getMessageProperties().getHeaders().get(Headers.ATTEMPT);
    int attempt =
        switch (value) {
          case Number number -> number.intValue();
          case String text when text.strip().matches("\\d{1,9}") -> Integer.parseInt(text.strip());
          case null, default -> 1;
        };
    return Math.max(attempt, 1);
  }
}
