package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Headers;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class JobDeliveryTests {

  private static final DownloadJob JOB = new DownloadJob(UUID.randomUUID(), "http://h/x", null);

  @Test
  void theFirstDeliveryHasNoAttemptHeaderAndIsAttemptOne() {
    assertThat(JobDelivery.attemptOf(message(null))).isEqualTo(1);
  }

  @Test
  void theAttemptHeaderIsReadWhateverNumericTypeItArrivesAs() {
    assertThat(JobDelivery.attemptOf(message(3))).isEqualTo(3);
    assertThat(JobDelivery.attemptOf(message(4L))).isEqualTo(4);
    assertThat(JobDelivery.attemptOf(message("5"))).isEqualTo(5);
  }

  @Test
  void anUnreadableAttemptHeaderCountsAsTheFirstAttempt() {
    assertThat(JobDelivery.attemptOf(message("second"))).isEqualTo(1);
    assertThat(JobDelivery.attemptOf(message(0))).isEqualTo(1);
    assertThat(JobDelivery.attemptOf(message(-2))).isEqualTo(1);
  }

  @Test
  void theBudgetStartsAtTheFirstAttemptUnlessAReplayMovedIt() {
    var first = JobDelivery.of(JOB, message(3));
    assertThat(first.budgetStart()).isEqualTo(1);
    assertThat(first.attemptsInBudget()).isEqualTo(3);

    var properties = new MessageProperties();
    properties.setHeader(Headers.ATTEMPT, 7);
    properties.setHeader(Headers.BUDGET_START, 6L);
    var replayed = JobDelivery.of(JOB, new Message(new byte[0], properties));
    assertThat(replayed.attempt()).isEqualTo(7);
    assertThat(replayed.budgetStart()).isEqualTo(6);
    assertThat(replayed.attemptsInBudget()).isEqualTo(2);
  }

  private static Message message(Object attempt) {
    var properties = new MessageProperties();
    if (attempt != null) {
      properties.setHeader(Headers.ATTEMPT, attempt);
    }
    return new Message(new byte[0], properties);
  }
}
