package dev.fetchq.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Messages on {@link Topology#CONTROL_STREAM}, read by every worker. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ControlMessage.CancelJob.class, name = "cancel-job"),
  @JsonSubTypes.Type(value = ControlMessage.Marker.class, name = "marker"),
})
public sealed interface ControlMessage {

  /**
   * The job was cancelled: a worker must not start it, and one that is downloading it stops,
   * removes the partial file and acknowledges the message.
   */
  record CancelJob(UUID jobId, Instant at) implements ControlMessage {
    public CancelJob {
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /**
   * Published by a worker to the stream it is reading; when it reads its own marker back, it has
   * seen every control message published before it started.
   */
  record Marker(String worker, UUID nonce, Instant at) implements ControlMessage {}
}
