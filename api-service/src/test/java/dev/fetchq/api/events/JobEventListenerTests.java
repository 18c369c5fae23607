package dev.fetchq.api.events;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.fetchq.api.job.JobProjection;
import dev.fetchq.model.JobEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.transaction.CannotCreateTransactionException;

class JobEventListenerTests {

  private static final JobEvent.Started STARTED =
      new JobEvent.Started(UUID.randomUUID(), 1, "w-1", Instant.parse("2026-02-01T10:00:00Z"));

  private final JobProjection projection = mock(JobProjection.class);
  private final JobEventListener listener =
      new JobEventListener(
          projection,
          new EventsProperties(
              new EventsProperties.Retry(
                  Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5))));

  @Test
  void anUnreachableDatabaseIsWaitedOut() {
    willThrow(new CannotCreateTransactionException("down"))
        .willThrow(new CannotCreateTransactionException("still down"))
        .willDoNothing()
        .given(projection)
        .apply(STARTED);

    listener.on(STARTED);

    verify(projection, times(3)).apply(STARTED);
  }

  @Test
  void anyOtherFailureIsNotRetriedSoTheEventIsDeadLettered() {
    willThrow(new IllegalStateException("bug")).given(projection).apply(STARTED);

    assertThatIllegalStateException().isThrownBy(() -> listener.on(STARTED));

    verify(projection, times(1)).apply(STARTED);
  }

  @Test
  void aMalformedEventIsRejectedWithoutTouchingAnyJob() {
    var withoutJob = new JobEvent.Started(null, 1, "w-1", Instant.now());
    var withoutAttempt = new JobEvent.Started(UUID.randomUUID(), 0, "w-1", Instant.now());

    assertThatExceptionOfType(AmqpRejectAndDontRequeueException.class)
        .isThrownBy(() -> listener.on(withoutJob));
    assertThatExceptionOfType(AmqpRejectAndDontRequeueException.class)
        .isThrownBy(() -> listener.on(withoutAttempt));
    verifyNoInteractions(projection);
  }
}
