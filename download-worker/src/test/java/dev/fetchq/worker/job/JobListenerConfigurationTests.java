package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;

class JobListenerConfigurationTests {

  @Test
  void theContainerMayWaitAsLongAsTheShutdownPhaseButNoLonger() {
    var lifecycle = new LifecycleProperties();
    lifecycle.setTimeoutPerShutdownPhase(Duration.ofSeconds(30));

    assertThatCode(
            () -> JobListenerConfiguration.checkShutdownOrder(Duration.ofSeconds(30), lifecycle))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> JobListenerConfiguration.checkShutdownOrder(Duration.ofSeconds(31), lifecycle))
        .hasMessageContaining("fetchq.worker.shutdown-timeout (PT31S)")
        .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase (PT30S)");
  }
}
