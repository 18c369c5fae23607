package dev.fetchq.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** Says at startup, loudly, when no API key exists: then every API request answers 401. */
@Component
class NoApiKeyWarning {

  private static final Logger log = LoggerFactory.getLogger(NoApiKeyWarning.class);

  private final ApiKeys keys;

  NoApiKeyWarning(ApiKeys keys) {
    this.keys = keys;
  }

  @EventListener(ApplicationReadyEvent.class)
  void warnIfNoKey() {
    if (keys.configuredCount() > 0) {
      return;
    }
    long stored;
    try {
      stored = keys.storedCount();
    } catch (DataAccessException e) {
      log.warn(
          "No API key is configured, and the database could not say whether it holds any ({})."
              + " Without one, every API request answers 401.",
          e.toString());
      return;
    }
    if (stored == 0) {
      log.warn(
          "No API key exists: every API request answers 401 (the API description at /v3/api-docs"
              + " stays public). Create an admin key: set FETCHQ_ADMIN_TOKEN to a secret of at least"
              + " 16 characters (e.g. openssl rand -hex 32) and use it as 'Authorization: Bearer"
              + " <token>'; or configure keys by digest, FETCHQ_SECURITY_APIKEYS=name:role:<sha256"
              + " hex of the key> (printf %s \"$KEY\" | sha256sum). An admin key then creates"
              + " others with POST /admin/api-keys.");
    }
  }
}
