package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTests {

  @Test
  void aSatisfiedRangeIsRead() {
    assertThat(ContentRange.parse("bytes 100-999/1000"))
        .hasValue(new ContentRange(100, 999, 1000L));
    assertThat(ContentRange.parse(" bytes 0-0/1 ")).hasValue(new ContentRange(0, 0, 1L));
    assertThat(ContentRange.parse("bytes 5-9/*")).hasValue(new ContentRange(5, 9, null));
    assertThat(ContentRange.parse("bytes 100-999/1000").orElseThrow().length()).isEqualTo(900);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "bytes */1000",
        "bytes 100-99/1000",
        "bytes 100-1000/1000",
        "bytes=100-999/1000",
        "items 0-1/2",
        "bytes 1-2",
        "bytes -1-2/3"
      })
  void anythingElseIsNoRange(String header) {
    assertThat(ContentRange.parse(header)).isEmpty();
  }

  @Test
  void noHeaderIsNoRange() {
    assertThat(ContentRange.parse(null)).isEmpty();
  }
}
