package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorTests {

  @Test
  void aCursorReadsBackAsTheIdItWasMadeFrom() {
    UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

    String encoded = PageCursor.after(id).encode();

    assertThat(encoded).matches("[A-Za-z0-9_-]{22}");
    assertThat(PageCursor.valueOf(encoded).after()).isEqualTo(id);
  }

  @Test
  void somethingThatIsNotACursorIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> PageCursor.valueOf("not a cursor!"));
    assertThatIllegalArgumentException().isThrownBy(() -> PageCursor.valueOf("AAAA"));
  }
}
