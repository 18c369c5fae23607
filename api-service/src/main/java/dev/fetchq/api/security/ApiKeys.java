package dev.fetchq.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Every API key this server accepts: the configured ones (held in memory) and those created through
 * the admin API (in PostgreSQL, looked up by digest on each request, so a revocation takes effect
 * at once on every replica).
 *
 * <p>A presented key is hashed and looked up by its digest. Looking up a digest reveals nothing
 * about any key (an attacker can only learn about digests of keys they already have), and the found
 * digest is compared once more in constant time.
 */
@Service
class ApiKeys {

  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  /** How often a key's last use is written: a busy key must not cost a write per request. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final ApiKeyRepository repository;
  private final Clock clock;
  private final Map<String, ConfiguredKey> configuredByDigest;
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

  ApiKeys(
      SecurityProperties security,
      AdminProperties admin,
      ApiKeyRepository repository,
      Clock clock) {
    this.repository = repository;
    this.clock = clock;
    this.configuredByDigest = configured(security, admin);
  }

  /** A new key, and the only time anyone sees it. */
  record Created(String key, ApiKey apiKey) {}

  /**
   * The caller a presented key authenticates, if the key is known.
   *
   * @throws DataAccessException when the database cannot be asked about a key that is not
   *     configured
   */
  Optional<Caller> authenticate(String presentedKey) {
    if (presentedKey.isEmpty() || presentedKey.length() > ApiKeySecrets.MAX_KEY_LENGTH) {
      return Optional.empty();
    }
    String digest = ApiKeySecrets.sha256Hex(presentedKey);
    ConfiguredKey configured = configuredByDigest.get(digest);
    if (configured != null && ApiKeySecrets.sameDigest(configured.sha256(), digest)) {
      used(configured.name(), false);
      return Optional.of(new Caller(configured.name(), configured.role()));
    }
    return repository
        .findBySha256(digest)
        .filter(stored -> ApiKeySecrets.sameDigest(stored.sha256(), digest))
        .map(
            stored -> {
              used(stored.name(), true);
              return new Caller(stored.name(), stored.role());
            });
  }

  /**
   * Creates a key in the database.
   *
   * @throws ApiKeyProblems#nameTaken when a configured or stored key has this name
   */
  Created create(String name, Role role, Caller by) {
    if (isConfigured(name)) {
      throw ApiKeyProblems.nameTaken(name);
    }
    String key = ApiKeySecrets.generate();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try {
      repository.insert(name, role, ApiKeySecrets.sha256Hex(key), now, by.name());
    } catch (DuplicateKeyException e) {
      throw ApiKeyProblems.nameTaken(name);
    }
    log.atInfo()
        .addKeyValue("apiKey", name)
        .log("API key {} ({}) created by {}", name, role.wireName(), by.name());
    return new Created(key, new ApiKey(name, role, ApiKey.DATABASE, now, by.name(), null));
  }

  /** Every key, configured ones first, each group by name. */
  List<ApiKey> list() {
    var keys = new ArrayList<ApiKey>();
    configuredByDigest.values().stream()
        .sorted(Comparator.comparing(ConfiguredKey::name))
        .map(
            k ->
                new ApiKey(
                    k.name(), k.role(), ApiKey.CONFIGURATION, null, null, lastUsed.get(k.name())))
        .forEach(keys::add);
    keys.addAll(repository.findAll());
    return keys;
  }

  /**
   * Revokes a key created through the admin API.
   *
   * @throws ApiKeyProblems#configured for a configured key
   * @throws ApiKeyProblems#unknown when there is no such key
   */
  void revoke(String name, Caller by) {
    if (isConfigured(name)) {
      throw ApiKeyProblems.configured(name);
    }
    if (!repository.delete(name)) {
      throw ApiKeyProblems.unknown(name);
    }
    lastUsed.remove(name);
    log.atInfo().addKeyValue("apiKey", name).log("API key {} revoked by {}", name, by.name());
  }

  /** How many keys are configured (the bootstrap admin token included). */
  int configuredCount() {
    return configuredByDigest.size();
  }

  /** How many keys the database holds. */
  long storedCount() {
    return repository.count();
  }

  private boolean isConfigured(String name) {
    return configuredByDigest.values().stream().anyMatch(k -> k.name().equals(name));
  }

  private void used(String name, boolean stored) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant previous = lastUsed.get(name);
    if (previous != null && previous.plus(LAST_USED_RESOLUTION).isAfter(now)) {
      return;
    }
    lastUsed.put(name, now);
    if (stored) {
      try {
        repository.touch(name, now);
      } catch (DataAccessException e) {
        // Bookkeeping only: the request it belongs to must not fail for it.
        log.debug("Last use of API key {} not recorded: {}", name, e.toString());
      }
    }
  }

  private static Map<String, ConfiguredKey> configured(
      SecurityProperties security, AdminProperties admin) {
    var keys = new ArrayList<ConfiguredKey>();
    for (SecurityProperties.ConfiguredKey key : security.apiKeys()) {
      keys.add(new ConfiguredKey(key.name(), key.role(), key.sha256().toLowerCase(Locale.ROOT)));
    }
    if (admin.enabled()) {
      keys.add(
          new ConfiguredKey(
              AdminProperties.KEY_NAME, Role.ADMIN, ApiKeySecrets.sha256Hex(admin.token())));
    }
    var byDigest = new HashMap<String, ConfiguredKey>();
    var names = new HashMap<String, ConfiguredKey>();
    for (ConfiguredKey key : keys) {
      if (names.putIfAbsent(key.name(), key) != null) {
        throw new IllegalStateException(
            "API key name '"
                + key.name()
                + "' is configured twice (fetchq.security.api-keys; '"
                + AdminProperties.KEY_NAME
                + "' is the name of fetchq.admin.token)");
      }
      if (byDigest.putIfAbsent(key.sha256(), key) != null) {
        throw new IllegalStateException(
            "API keys '"
                + byDigest.get(key.sha256()).name()
                + "' and '"
                + key.name()
                + "' are configured with the same key");
      }
    }
    return Map.copyOf(byDigest);
  }

  private record ConfiguredKey(String name, Role role, String sha256) {}
}
