package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTests {

  @Test
  void aNewKeyIs256RandomBitsBehindAPrefixThatSecretScannersCanSpot() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(ApiKeySecrets.generate());
    }

    assertThat(keys)
        .hasSize(1000)
        .allSatisfy(key -> assertThat(key).matches("fq_[A-Za-z0-9_-]{43}"));
  }

  @Test
  void aKeyIsKnownByTheHexSha256OfItsUtf8Bytes() {
    // The same digest as: printf %s abc | sha256sum
    assertThat(ApiKeySecrets.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void digestsCompareByValue() {
    String digest = ApiKeySecrets.sha256Hex("abc");

    assertThat(ApiKeySecrets.sameDigest(digest, ApiKeySecrets.sha256Hex("abc"))).isTrue();
    assertThat(ApiKeySecrets.sameDigest(digest, ApiKeySecrets.sha256Hex("abd"))).isFalse();
    assertThat(ApiKeySecrets.sameDigest(digest, digest.substring(1))).isFalse();
  }
}
