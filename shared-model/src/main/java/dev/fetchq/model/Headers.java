package dev.fetchq.model;

/** AMQP header names fetchq sets on its messages. */
public final class Headers {

  /**
   * The 1-based attempt number of a {@link DownloadJob} delivery. We count attempts ourselves
   * instead of reading {@code x-death}, which RabbitMQ 3.x and 4.x treat differently.
   */
  public static final String ATTEMPT = "x-fetchq-attempt";

  /**
   * The attempt number with which the job's current attempt budget began: 1, or the first attempt
   * after a replay from the dead-letter queue. Attempt numbers only ever grow (events are ordered
   * by them), so a replay grants a fresh budget by moving this start instead of resetting {@link
   * #ATTEMPT}. Absent means 1.
   */
  public static final String BUDGET_START = "x-fetchq-budget-start";

  /** On a dead letter: the {@link FailureReason} name. */
  public static final String FAILURE_REASON = "x-fetchq-failure-reason";

  /** On a dead letter: the origin's HTTP status, when it answered. */
  public static final String FAILURE_HTTP_STATUS = "x-fetchq-failure-http-status";

  /** On a dead letter: the human-readable failure message. */
  public static final String FAILURE_MESSAGE = "x-fetchq-failure-message";

  /** On a dead letter: the worker that made the last attempt. */
  public static final String FAILURE_WORKER = "x-fetchq-failure-worker";

  /** On a dead letter: when it failed (ISO-8601 instant). */
  public static final String FAILED_AT = "x-fetchq-failed-at";

  private Headers() {}
}
