package dev.fetchq.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.rabbitmq.client.Channel;
import dev.fetchq.api.job.JobProjection;
import dev.fetchq.api.job.JobProjection.Delivered;
import dev.fetchq.model.JobEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.transaction.CannotCreateTransactionException;

/** The batch listener's settling of messages: what is applied, acked and dead-lettered. */
class JobEventListenerTests {

  private static final MessageConverter CONVERTER =
      JobEventConversionPropertyTests.applicationConverter();
  private static final Instant AT = Instant.parse("2026-02-01T10:00:00Z");

  private final JobProjection projection = mock(JobProjection.class);
  private final Channel channel = mock(Channel.class);
  private final JobEventListener listener = listener(Duration.ofSeconds(5));
  private final List<List<JobEvent>> applied = new ArrayList<>();
  private long nextTag = 1;

  JobEventListenerTests() {
    willAnswer(
            call -> {
              List<Delivered> batch = call.getArgument(0);
              applied.add(batch.stream().map(Delivered::event).toList());
              return null;
            })
        .given(projection)
        .applyAll(anyList());
  }

  @Test
  void aBatchIsAppliedInOneCallInOrderAndAckedOnce() throws Exception {
    var first = started(UUID.randomUUID());
    var second = started(UUID.randomUUID());
    var third = new JobEvent.Progress(first.jobId(), 1, "w-1", AT.plusSeconds(1), 5, 10L);

    listener.on(List.of(message(first), message(second), message(third)), channel);

    assertThat(applied).containsExactly(List.of(first, second, third));
    verify(channel).basicAck(3, true);
    verify(channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
  }

  @Test
  void anUnreadableMessageInABatchIsDeadLetteredAloneAndTheRestApplied() throws Exception {
    var first = started(UUID.randomUUID());
    var last = started(UUID.randomUUID());

    listener.on(
        List.of(
            message(first),
            raw("{oops"),
            raw("{\"type\":\"started\",\"attempt\":1}"),
            message(last)),
        channel);

    assertThat(applied).containsExactly(List.of(first, last));
    verify(channel).basicNack(2, false, false);
    verify(channel).basicNack(3, false, false);
    verify(channel).basicAck(4, true);
  }

  @Test
  void anUnreachableDatabaseIsWaitedOut() throws Exception {
    var event = started(UUID.randomUUID());
    willThrow(new CannotCreateTransactionException("down"))
        .willThrow(new CannotCreateTransactionException("still down"))
        .willDoNothing()
        .given(projection)
        .applyAll(anyList());

    listener.on(List.of(message(event)), channel);

    verify(projection, times(3)).applyAll(anyList());
    verify(channel).basicAck(1, true);
  }

  @Test
  void aDatabaseThatStaysUnreachableDeadLettersTheBatchAfterTheTimeout() throws Exception {
    JobEventListener impatient = listener(Duration.ofMillis(20));
    willThrow(new CannotCreateTransactionException("down")).given(projection).applyAll(anyList());

    impatient.on(
        List.of(message(started(UUID.randomUUID())), message(started(UUID.randomUUID()))), channel);

    verify(channel).basicNack(1, false, false);
    verify(channel).basicNack(2, false, false);
    verify(channel, never()).basicAck(anyLong(), anyBoolean());
  }

  @Test
  void anEventWhoseProjectionFailsIsDeadLetteredAloneWithoutRetries() throws Exception {
    var good = started(UUID.randomUUID());
    var bad = started(UUID.randomUUID());
    var alsoGood = started(UUID.randomUUID());
    willAnswer(
            call -> {
              List<Delivered> batch = call.getArgument(0);
              if (batch.stream().anyMatch(d -> d.event().equals(bad))) {
                throw new IllegalStateException("bug");
              }
              applied.add(batch.stream().map(Delivered::event).toList());
              return null;
            })
        .given(projection)
        .applyAll(anyList());

    listener.on(List.of(message(good), message(bad), message(alsoGood)), channel);

    assertThat(applied).containsExactly(List.of(good), List.of(alsoGood));
    verify(projection, times(4)).applyAll(anyList()); // the batch, then each event once
    verify(channel).basicAck(1, false);
    verify(channel).basicNack(2, false, false);
    verify(channel).basicAck(3, false);
  }

  @Test
  void malformedEventsAreRejectedWithoutTouchingAnyJob() throws Exception {
    var withoutJob = new JobEvent.Started(null, 1, "w-1", AT);
    var withoutAttempt = new JobEvent.Started(UUID.randomUUID(), 0, "w-1", AT);

    listener.on(List.of(message(withoutJob), message(withoutAttempt)), channel);

    verify(channel).basicNack(1, false, false);
    verify(channel).basicNack(2, false, false);
    verifyNoInteractions(projection);
  }

  @Test
  void theWorkersTraceGoesWithTheEventForItsLogLines() throws Exception {
    Message traced = message(started(UUID.randomUUID()));
    traced
        .getMessageProperties()
        .setHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    Message untraced = message(started(UUID.randomUUID()));
    untraced.getMessageProperties().setHeader("traceparent", "garbage");

    listener.on(List.of(traced, untraced), channel);

    @SuppressWarnings("unchecked")
    ArgumentCaptor<List<Delivered>> batch = ArgumentCaptor.forClass(List.class);
    verify(projection).applyAll(batch.capture());
    assertThat(batch.getValue().get(0).logContext())
        .isEqualTo(
            Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"));
    assertThat(batch.getValue().get(1).logContext()).isEmpty();
  }

  private JobEventListener listener(Duration timeout) {
    return new JobEventListener(
        projection,
        CONVERTER,
        new EventsProperties(
            1,
            new EventsProperties.Batch(250, Duration.ofMillis(5), Duration.ofMillis(50)),
            new EventsProperties.Retry(Duration.ofMillis(1), Duration.ofMillis(5), timeout)));
  }

  private static JobEvent.Started started(UUID job) {
    return new JobEvent.Started(job, 1, "w-1", AT);
  }

  private Message message(JobEvent event) {
    var properties = new MessageProperties();
    properties.setDeliveryTag(nextTag++);
    return CONVERTER.toMessage(event, properties);
  }

  private Message raw(String body) {
    var properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    properties.setDeliveryTag(nextTag++);
    return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
  }
}
