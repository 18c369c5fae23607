package dev.fetchq.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;

import com.rabbitmq.client.Channel;
import dev.fetchq.api.job.JobProjection;
import dev.fetchq.messaging.MessagingAutoConfiguration;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mockito.invocation.Invocation;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Worker events as the api-service receives them: the application's own message converter, then the
 * listener. Whatever bytes arrive, the message is either applied to its job once and acked, or
 * rejected without requeue (so it goes to the dead-event queue): never an exception that would
 * leave it unsettled, never a readable, complete event dropped.
 */
class JobEventConversionPropertyTests {

  private static final MessageConverter CONVERTER = applicationConverter();

  private final JobProjection projection = mock(JobProjection.class);
  private final JobEventListener listener =
      new JobEventListener(
          projection,
          CONVERTER,
          new EventsProperties(
              1,
              new EventsProperties.Batch(250, Duration.ofMillis(5), Duration.ofMillis(50)),
              new EventsProperties.Retry(
                  Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10))));

  /** What became of one message. */
  sealed interface Outcome {
    record Applied(JobEvent event) implements Outcome {}

    record DeadLettered(Exception why) implements Outcome {}
  }

  @Property(tries = 1000)
  void everyValidEventIsAppliedExactlyAsSent(@ForAll("events") JobEvent event) {
    Outcome outcome = consume(CONVERTER.toMessage(event, new MessageProperties()));

    assertThat(outcome).isEqualTo(new Outcome.Applied(event));
  }

  @Property(tries = 1000)
  void mutatedEventsAreAppliedWhenCompleteAndOtherwiseDeadLettered(
      @ForAll("mutatedEvents") byte[] body) {
    Outcome outcome = consume(message(body));

    if (outcome instanceof Outcome.Applied(JobEvent event)) {
      assertThat(isComplete(event)).as("applied only when complete: %s", event).isTrue();
    }
  }

  @Property(tries = 1000)
  void randomBytesNeverBreakTheListener(@ForAll("noise") byte[] body) {
    consume(message(body));
  }

  /**
   * What the listener does with one message in a batch of its own: converts it to the event,
   * applies it, or rejects it without requeueing (so that it goes to the dead-event queue). Asserts
   * that the message is settled exactly once, either way.
   */
  private Outcome consume(Message message) {
    clearInvocations(projection);
    Channel channel = mock(Channel.class);
    message.getMessageProperties().setDeliveryTag(7);
    try {
      listener.on(List.of(message), channel);
    } catch (Exception e) {
      return fail("the listener threw %s", e);
    }
    var calls = mockingDetails(projection).getInvocations();
    var settled = mockingDetails(channel).getInvocations();
    assertThat(settled).as("settled once").hasSize(1);
    Invocation settle = settled.iterator().next();
    if (calls.isEmpty()) {
      assertThat(settle.getMethod().getName()).isEqualTo("basicNack");
      assertThat(settle.getArguments()).containsExactly(7L, false, false);
      return new Outcome.DeadLettered(new IllegalArgumentException("rejected"));
    }
    assertThat(settle.getMethod().getName()).isEqualTo("basicAck");
    var applied = new AtomicReference<JobEvent>();
    assertThat(calls)
        .as("applied once")
        .singleElement()
        .satisfies(
            call -> {
              List<JobProjection.Delivered> batch = call.getArgument(0);
              assertThat(batch).hasSize(1);
              applied.set(batch.getFirst().event());
            });
    return new Outcome.Applied(applied.get());
  }

  private static boolean isComplete(JobEvent event) {
    return event.jobId() != null && event.attempt() >= 1 && event.at() != null;
  }

  private static Message message(byte[] body) {
    var properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    return new Message(body, properties);
  }

  @Provide
  Arbitrary<JobEvent> events() {
    Arbitrary<UUID> id = Arbitraries.create(UUID::randomUUID);
    Arbitrary<Integer> attempt = Arbitraries.integers().between(1, Integer.MAX_VALUE);
    Arbitrary<String> text = text().injectNull(0.1);
    Arbitrary<Instant> at =
        Arbitraries.longs()
            .between(0, 4_102_444_800_000L)
            .map(Instant::ofEpochMilli)
            .map(i -> i.plusNanos(1000));
    Arbitrary<Long> bytes = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Failure> failure =
        Combinators.combine(
                Arbitraries.of(FailureReason.class),
                Arbitraries.integers().between(100, 599).injectNull(0.3),
                text)
            .as(Failure::new);
    return Arbitraries.oneOf(
        Combinators.combine(id, attempt, text, at).as(JobEvent.Started::new),
        Combinators.combine(id, attempt, text, at, bytes, bytes.injectNull(0.3))
            .as(JobEvent.Progress::new),
        Combinators.combine(
                id, attempt, text, at, at.injectNull(0.2), bytes, text, text.list().ofSize(2))
            .as(
                (i, a, w, t, started, b, sha, more) ->
                    new JobEvent.Succeeded(i, a, w, t, started, b, sha, more.get(0), more.get(1))),
        Combinators.combine(id, attempt, text, at, failure, attempt, at)
            .as(JobEvent.RetryScheduled::new),
        Combinators.combine(id, attempt, text, at, failure).as(JobEvent.Failed::new));
  }

  @Provide
  Arbitrary<byte[]> mutatedEvents() {
    Arbitrary<String> json =
        events()
            .map(
                e ->
                    new String(
                        CONVERTER.toMessage(e, new MessageProperties()).getBody(),
                        StandardCharsets.UTF_8));
    return Arbitraries.oneOf(
        json.flatMap(JobEventConversionPropertyTests::withFieldReplaced),
        json.flatMap(JobEventConversionPropertyTests::withBytesChanged));
  }

  @Provide
  Arbitrary<byte[]> noise() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.of(
                "",
                "null",
                "{}",
                "[]",
                "0",
                "\"started\"",
                "{\"type\":null}",
                "{\"type\":\"Started\"}",
                "{\"type\":\"started\"}",
                "{\"type\":[\"started\"]}",
                "{\"@class\":\"java.lang.Object\"}",
                "[\"dev.fetchq.model.JobEvent$Started\",{}]",
                "{\"type\":\"started\",\"type\":\"failed\"}",
                "\uFEFF{\"type\":\"started\"}",
                "[".repeat(3000),
                "{\"a\":".repeat(1500))
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  /** The event with one field's value replaced by something of another kind, or removed. */
  private static Arbitrary<byte[]> withFieldReplaced(String json) {
    List<String> fields =
        List.of(
            "type",
            "jobId",
            "attempt",
            "worker",
            "at",
            "bytes",
            "totalBytes",
            "startedAt",
            "sha256",
            "storageKey",
            "failure",
            "reason",
            "httpStatus",
            "nextAttempt",
            "nextAttemptAt");
    Arbitrary<String> values =
        Arbitraries.of(
            "null",
            "0",
            "-1",
            "1",
            "2147483648",
            "1e400",
            "1.5",
            "true",
            "\"\"",
            "\"x\"",
            "[]",
            "{}",
            "\"started\"",
            "\"retry-scheduled\"",
            "\"QUANTUM\"",
            "\"2026-13-45T99:99:99Z\"",
            "\"+1000000000-12-31T23:59:59Z\"",
            "\"not-a-uuid\"",
            "\"00000000-0000-0000-0000-000000000000\"");
    return Combinators.combine(Arbitraries.of(fields), values, Arbitraries.of(true, false))
        .as(
            (field, value, remove) -> {
              String pattern = "\"" + field + "\":(\"[^\"]*\"|[^,}]*)";
              String replacement = remove ? "\"x-removed\":0" : "\"" + field + "\":" + value;
              return json.replaceFirst(pattern, Matcher.quoteReplacement(replacement))
                  .getBytes(StandardCharsets.UTF_8);
            });
  }

  /** The event's bytes with a few deleted, inserted or flipped, or cut short. */
  private static Arbitrary<byte[]> withBytesChanged(String json) {
    byte[] original = json.getBytes(StandardCharsets.UTF_8);
    return Combinators.combine(
            Arbitraries.integers().between(0, original.length - 1).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.bytes().list().ofSize(3),
            Arbitraries.integers().between(0, 3))
        .as(
            (positions, values, how) -> {
              var out = new ByteArrayOutputStream();
              out.writeBytes(original);
              byte[] bytes = out.toByteArray();
              if (how == 3) {
                return Arrays.copyOf(bytes, positions.getFirst());
              }
              for (int i = 0; i < positions.size(); i++) {
                bytes[positions.get(i)] =
                    how == 0 ? values.get(i) : (byte) (bytes[positions.get(i)] ^ (1 << (i + how)));
              }
              return bytes;
            });
  }

  private static Arbitrary<String> text() {
    return Arbitraries.strings()
        .ofMaxLength(40)
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
  }

  /**
   * The converter the application builds (messaging module), with the application's JSON mapper.
   */
  static MessageConverter applicationConverter() {
    var converter = new AtomicReference<MessageConverter>();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(JacksonAutoConfiguration.class, MessagingAutoConfiguration.class))
        .withBean(RabbitTemplate.class, () -> mock(RabbitTemplate.class))
        .run(context -> converter.set(context.getBean(MessageConverter.class)));
    return converter.get();
  }
}
