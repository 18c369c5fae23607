package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;

@ExtendWith(OutputCaptureExtension.class)
class NoApiKeyWarningTests {

  private final ApiKeys keys = mock(ApiKeys.class);

  @Test
  void withoutAnyKeyTheStartupLogSaysHowToMakeOne(CapturedOutput output) {
    new NoApiKeyWarning(keys).warnIfNoKey();

    assertThat(output.getOut())
        .contains("No API key exists: every API request answers 401")
        .contains("FETCHQ_ADMIN_TOKEN", "FETCHQ_SECURITY_APIKEYS", "POST /admin/api-keys");
  }

  @Test
  void aConfiguredOrStoredKeyIsEnough(CapturedOutput output) {
    given(keys.configuredCount()).willReturn(1);
    new NoApiKeyWarning(keys).warnIfNoKey();
    given(keys.configuredCount()).willReturn(0);
    given(keys.storedCount()).willReturn(3L);
    new NoApiKeyWarning(keys).warnIfNoKey();

    assertThat(output.getOut()).doesNotContain("No API key");
  }

  @Test
  void anUnreachableDatabaseIsSaidToo(CapturedOutput output) {
    given(keys.storedCount()).willThrow(new DataAccessResourceFailureException("down"));

    new NoApiKeyWarning(keys).warnIfNoKey();

    assertThat(output.getOut())
        .contains("No API key is configured, and the database could not say");
  }
}
