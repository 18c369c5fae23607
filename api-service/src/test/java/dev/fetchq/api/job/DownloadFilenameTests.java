package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

  @Test
  void headerInjectionAndHiddenNamesAreDefused() {
    assertThat(DownloadFilename.of("a.txt\r\nSet-Cookie: x=1", ID))
        .isEqualTo("a.txt__Set-Cookie_ x=1");
    assertThat(DownloadFilename.of("..\u2028..", ID)).isEqualTo(ID.toString());
    assertThat(DownloadFilename.of("\u3000report.pdf\u3000", ID)).isEqualTo("report.pdf");
    assertThat(DownloadFilename.of("con.txt", ID)).isEqualTo("_con.txt");
    assertThat(DownloadFilename.of("a\uD800b", ID)).isEqualTo("a_b");
  }

  @Test
  void aLongNameIsCutToWholeCharactersWithin255Bytes() {
    String name = DownloadFilename.of("😀".repeat(100), ID);

    assertThat(name).isEqualTo("😀".repeat(63));
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(252);
  }

  @Test
  void theHeaderGivesTheExactNameInUtf8AndAnAsciiStandIn() {
    assertThat(DownloadFilename.contentDisposition("résumé 2026.pdf", ID))
        .isEqualTo(
            "attachment; filename=\"resume 2026.pdf\";"
                + " filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf");
    assertThat(DownloadFilename.contentDisposition("文件.txt", ID))
        .isEqualTo("attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%96%87%E4%BB%B6.txt");
    assertThat(DownloadFilename.contentDisposition("../../etc/passwd", ID))
        .isEqualTo("attachment; filename=\"_.._etc_passwd\"; filename*=UTF-8''_.._etc_passwd");
    assertThat(DownloadFilename.contentDisposition(null, ID))
        .isEqualTo("attachment; filename=\"%s\"; filename*=UTF-8''%s".formatted(ID, ID));
  }
}
