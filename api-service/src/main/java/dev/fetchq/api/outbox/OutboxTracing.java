package dev.fetchq.api.outbox;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Carries the trace of the work that wrote an outbox message over to its publishing, which happens
 * later, on the relay's thread.
 *
 * <p>When a message is written, the current trace context (typically the HTTP request's) is stored
 * with it as the propagator's headers: W3C {@code traceparent} and {@code tracestate}, with the
 * default propagation. When the relay publishes it, an observation of that publish continues the
 * stored context, and RabbitTemplate's own observation, inside it, writes the headers the consumer
 * continues: the worker's attempt is part of the trace of the request that submitted the job.
 */
@Component
class OutboxTracing {

  /** The relay's observation; as a timer, how long each message took from send to confirm. */
  static final String RELAY_OBSERVATION = "fetchq.outbox.relay";

  private final Tracer tracer;
  private final Propagator propagator;
  private final ObservationRegistry observations;

  @Autowired
  OutboxTracing(
      ObjectProvider<Tracer> tracer,
      ObjectProvider<Propagator> propagator,
      ObjectProvider<ObservationRegistry> observations) {
    this(
        tracer.getIfAvailable(() -> Tracer.NOOP),
        propagator.getIfAvailable(() -> Propagator.NOOP),
        observations.getIfAvailable(() -> ObservationRegistry.NOOP));
  }

  OutboxTracing(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.observations = observations;
  }

  /** The current trace context as message headers; empty when there is none. */
  Map<String, String> currentContext() {
    TraceContext context = tracer.currentTraceContext().context();
    if (context == null) {
      return Map.of();
    }
    var headers = new LinkedHashMap<String, String>();
    propagator.inject(context, headers, Map::put);
    return headers;
  }

  /** An observation of publishing {@code message}, continuing the context stored with it. */
  Observation relaying(OutboxMessage message) {
    var context =
        new ReceiverContext<Map<String, Object>>(
            (headers, name) -> headers.get(name) instanceof String value ? value : null);
    context.setCarrier(message.headers());
    context.setRemoteServiceName("outbox");
    return Observation.createNotStarted(RELAY_OBSERVATION, () -> context, observations)
        .contextualName("outbox relay " + message.exchange())
        .lowCardinalityKeyValue("exchange", message.exchange());
  }
}
