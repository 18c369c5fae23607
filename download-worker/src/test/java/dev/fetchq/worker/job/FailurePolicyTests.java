package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailurePolicyTests {

  private final FailurePolicy policy = new FailurePolicy();

  @ParameterizedTest
  @EnumSource(FailureReason.class)
  void everyFailureIsFinalUntilRetryTiersExist(FailureReason reason) {
    assertThat(policy.decide(Failure.of(reason, "x"), 1))
        .isInstanceOf(FailureDecision.DeadLetter.class);
  }

  @Test
  void theDecisionSaysWhetherTheFailureWasPermanent() {
    assertThat(policy.decide(Failure.http(FailureReason.HTTP_CLIENT_ERROR, 404, "HTTP 404"), 1))
        .isEqualTo(new FailureDecision.DeadLetter("permanent failure"));
    assertThat(policy.decide(Failure.of(FailureReason.TIMEOUT, "Read timed out"), 1))
        .isEqualTo(new FailureDecision.DeadLetter("transient failure, no retry configured"));
  }
}
