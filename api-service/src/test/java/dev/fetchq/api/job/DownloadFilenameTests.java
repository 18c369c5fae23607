package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DownloadFilenameTests {

  private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @Test
  void aPlainHintIsKept() {
    assertThat(DownloadFilename.of("Quarterly report (final).pdf", ID))
        .isEqualTo("Quarterly report (final).pdf");
    assertThat(DownloadFilename.of("résumé.pdf", ID)).isEqualTo("résumé.pdf");
  }

  @Test
  void pathsAndReservedCharactersCannotEscapeTheName() {
    assertThat(DownloadFilename.of("../../etc/passwd", ID)).isEqualTo("_.._etc_passwd");
    assertThat(DownloadFilename.of("C:\\temp\\a?.txt", ID)).isEqualTo("C__temp_a_.txt");
    assertThat(DownloadFilename.of(".bashrc", ID)).isEqualTo("bashrc");
  }

  @Test
  void invisibleCharactersAreReplaced() {
    assertThat(DownloadFilename.of("invoice\u202Efdp.exe", ID)).isEqualTo("invoice_fdp.exe");
  }

  @Test
  void withoutAUsableHintTheJobIdIsTheName() {
    assertThat(DownloadFilename.of(null, ID)).isEqualTo(ID.toString());
    assertThat(DownloadFilename.of(" .. ", ID)).isEqualTo(ID.toString());
    assertThat(DownloadFilename.of("///", ID)).isEqualTo(ID.toString());
  }
}
