package dev.fetchq.api.deadletter;

import dev.fetchq.api.security.AdminOnly;
import dev.fetchq.model.FailureReason;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@AdminOnly
@Tag(name = "Dead letters", description = "Admin keys only")
@RestController
@RequestMapping(path = "/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

  static final int MAX_LIMIT = 1000;

  private final DeadLetterAdmin admin;

  DeadLetterController(DeadLetterAdmin admin) {
    this.admin = admin;
  }

  @Operation(
      summary = "List dead letters without removing them",
      description =
          "Oldest first. Looking does not consume: every message stays in the queue, in order.")
  @GetMapping
  DeadLetterPage list(
      @Parameter(description = "Failure class; POISON for unreadable messages")
          @RequestParam(required = false)
          FailureReason reason,
      @Parameter(description = "Host of the job's URL") @RequestParam(required = false) String host,
      @Parameter(description = "Failed at or after this ISO-8601 instant")
          @RequestParam(required = false)
          Instant since,
      @Parameter(description = "Most dead letters to show")
          @RequestParam(defaultValue = "100")
          @Min(1)
          @Max(MAX_LIMIT)
          int limit) {
    return admin.list(new DeadLetterFilter(reason, host, since), limit);
  }

  @Operation(
      summary = "Replay dead jobs",
      description =
          "Body {\"jobIds\":[...]} or {\"filter\":{\"reason\":..,\"host\":..,\"since\":..},"
              + "\"limit\":100}. Each job goes back to QUEUED with a fresh attempt budget; its"
              + " dead letters leave the queue once RabbitMQ confirmed the new job message.")
  @PostMapping(path = "/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
  ReplayResponse replay(@Valid @RequestBody ReplayRequest request) {
    return admin.replay(request);
  }

  @Operation(
      summary = "Discard a dead letter",
      description =
          "Removes every dead letter with this id (a job id, or the message id of an unreadable"
              + " message). The job stays DEAD and shows discardedAt. 404 when there is none.")
  @DeleteMapping("/{id}")
  DiscardResult discard(@PathVariable String id) {
    return admin.discard(id);
  }
}
