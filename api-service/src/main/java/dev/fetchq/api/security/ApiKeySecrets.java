package dev.fetchq.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Making and recognising API keys. A key is {@value #PREFIX} and 32 random bytes (256 bits) in
 * URL-safe base64; the prefix lets secret scanners spot a leaked key. At rest only its SHA-256 is
 * kept.
 *
 * <p>Why SHA-256 and not bcrypt or Argon2: those are slow on purpose so that guessing a
 * <em>password</em>, which people choose from a small space, costs too much. A 256-bit random key
 * cannot be guessed at any speed, so slowness adds no protection, while it would cost every request
 * tens of milliseconds of CPU (a denial-of-service lever) and, being salted, rule out finding the
 * key by its digest with one index lookup.
 */
final class ApiKeySecrets {

  static final String PREFIX = "fq_";

  /** Longer than any key worth hashing; longer header values are refused unhashed. */
  static final int MAX_KEY_LENGTH = 512;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private ApiKeySecrets() {}

  /** A new key: {@value #PREFIX} and 43 base64url characters. */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The lower-case hex SHA-256 of the key's UTF-8 bytes, as stored and configured. */
  static String sha256Hex(String key) {
    return HEX.formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Compares two digests in time that does not depend on where they differ. */
  static boolean sameDigest(String hexA, String hexB) {
    return MessageDigest.isEqual(
        hexA.getBytes(StandardCharsets.US_ASCII), hexB.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
