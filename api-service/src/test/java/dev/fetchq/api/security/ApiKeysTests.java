package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

class ApiKeysTests {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String CI_KEY = "fq_ci-key-for-tests-000000000000000000000000000";
  private static final String ADMIN_TOKEN = "bootstrap-admin-token-0123";

  private final ApiKeyRepository repository = mock(ApiKeyRepository.class);
  private final MutableClock clock = new MutableClock(NOW);

  @Test
  void aConfiguredKeyAuthenticatesByItsDigestWithoutTheDatabase() {
    ApiKeys keys = keys(configured("ci", Role.CLIENT, CI_KEY));

    assertThat(keys.authenticate(CI_KEY)).contains(new Caller("ci", Role.CLIENT));
    then(repository).shouldHaveNoInteractions();
  }

  @Test
  void theAdminTokenIsTheAdminKeyNamedAdmin() {
    ApiKeys keys = new ApiKeys(new SecurityProperties(List.of()), admin(), repository, clock);

    assertThat(keys.authenticate(ADMIN_TOKEN)).contains(new Caller("admin", Role.ADMIN));
    assertThat(keys.configuredCount()).isOne();
  }

  @Test
  void aStoredKeyIsLookedUpByItsDigest() {
    String key = ApiKeySecrets.generate();
    String digest = ApiKeySecrets.sha256Hex(key);
    given(repository.findBySha256(digest))
        .willReturn(Optional.of(new ApiKeyRepository.Stored("team-b", Role.CLIENT, digest)));

    assertThat(keys().authenticate(key)).contains(new Caller("team-b", Role.CLIENT));
  }

  @Test
  void anUnknownKeyAuthenticatesNobody() {
    given(repository.findBySha256(anyString())).willReturn(Optional.empty());

    assertThat(keys(configured("ci", Role.CLIENT, CI_KEY)).authenticate(CI_KEY + "x")).isEmpty();
  }

  @Test
  void anAbsurdlyLongKeyIsNotEvenHashed() {
    assertThat(keys().authenticate("k".repeat(ApiKeySecrets.MAX_KEY_LENGTH + 1))).isEmpty();
    assertThat(keys().authenticate("")).isEmpty();
    then(repository).shouldHaveNoInteractions();
  }

  @Test
  void lastUseIsWrittenAtMostOncePerMinute() {
    String key = ApiKeySecrets.generate();
    String digest = ApiKeySecrets.sha256Hex(key);
    given(repository.findBySha256(digest))
        .willReturn(Optional.of(new ApiKeyRepository.Stored("team-b", Role.CLIENT, digest)));
    ApiKeys keys = keys();

    keys.authenticate(key);
    clock.advance(Duration.ofSeconds(30));
    keys.authenticate(key);
    clock.advance(Duration.ofSeconds(31));
    keys.authenticate(key);

    then(repository).should().touch("team-b", NOW);
    then(repository).should().touch("team-b", NOW.plusSeconds(61));
    then(repository).should(times(2)).touch(anyString(), any());
  }

  @Test
  void aCreatedKeyIsStoredAsItsDigestAndShownOnce() {
    ApiKeys.Created created = keys().create("team-c", Role.CLIENT, new Caller("ops", Role.ADMIN));

    assertThat(created.key()).startsWith("fq_");
    assertThat(created.apiKey().name()).isEqualTo("team-c");
    then(repository)
        .should()
        .insert("team-c", Role.CLIENT, ApiKeySecrets.sha256Hex(created.key()), NOW, "ops");
  }

  @Test
  void aNameThatIsTakenIsAConflict() {
    ApiKeys keys = keys(configured("ci", Role.CLIENT, CI_KEY));
    willThrow(new DuplicateKeyException("dup"))
        .given(repository)
        .insert(anyString(), any(), anyString(), any(), anyString());
    var ops = new Caller("ops", Role.ADMIN);

    assertThat(status(() -> keys.create("ci", Role.CLIENT, ops))).isEqualTo(HttpStatus.CONFLICT);
    assertThat(status(() -> keys.create("team-d", Role.CLIENT, ops)))
        .isEqualTo(HttpStatus.CONFLICT);
  }

  @Test
  void onlyStoredKeysCanBeRevoked() {
    ApiKeys keys = keys(configured("ci", Role.CLIENT, CI_KEY));
    given(repository.delete("team-b")).willReturn(true);
    var ops = new Caller("ops", Role.ADMIN);

    keys.revoke("team-b", ops);

    assertThat(status(() -> keys.revoke("ci", ops))).isEqualTo(HttpStatus.CONFLICT);
    assertThat(status(() -> keys.revoke("nobody", ops))).isEqualTo(HttpStatus.NOT_FOUND);
    then(repository).should(never()).delete("ci");
  }

  @Test
  void theListShowsConfiguredKeysWithoutSecretsThenStoredOnes() {
    var stored = new ApiKey("team-b", Role.CLIENT, ApiKey.DATABASE, NOW, "ops", null);
    given(repository.findAll()).willReturn(List.of(stored));
    ApiKeys keys = keys(configured("ci", Role.CLIENT, CI_KEY));
    keys.authenticate(CI_KEY);

    assertThat(keys.list())
        .containsExactly(
            new ApiKey("ci", Role.CLIENT, ApiKey.CONFIGURATION, null, null, NOW), stored);
  }

  @Test
  void aNameOrKeyConfiguredTwiceFailsTheStart() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                keys(
                    configured("ci", Role.CLIENT, CI_KEY),
                    configured("ci", Role.ADMIN, CI_KEY + "2")))
        .withMessageContaining("'ci' is configured twice");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                keys(configured("ci", Role.CLIENT, CI_KEY), configured("ci2", Role.ADMIN, CI_KEY)))
        .withMessageContaining("same key");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                new ApiKeys(
                    new SecurityProperties(List.of(configured("admin", Role.CLIENT, CI_KEY))),
                    admin(),
                    repository,
                    clock))
        .withMessageContaining("fetchq.admin.token");
  }

  private ApiKeys keys(SecurityProperties.ConfiguredKey... configured) {
    return new ApiKeys(
        new SecurityProperties(List.of(configured)), new AdminProperties(null), repository, clock);
  }

  private static AdminProperties admin() {
    return new AdminProperties(ADMIN_TOKEN);
  }

  private static SecurityProperties.ConfiguredKey configured(String name, Role role, String key) {
    // Upper case on purpose: digests are configured in either case.
    return new SecurityProperties.ConfiguredKey(
        name, role, ApiKeySecrets.sha256Hex(key).toUpperCase(Locale.ROOT));
  }

  private static HttpStatus status(Runnable action) {
    return HttpStatus.valueOf(
        assertThatExceptionOfType(ErrorResponseException.class)
            .isThrownBy(action::run)
            .actual()
            .getStatusCode()
            .value());
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
