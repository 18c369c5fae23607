package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.ContentDisposition;

/**
 * Whatever name a client hints, the offered name cannot leave the download folder, hide, or break
 * the {@code Content-Disposition} header, and it reaches the browser intact (RFC 6266 with the RFC
 * 5987 {@code filename*} form).
 */
class DownloadFilenamePropertyTests {

  private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @Property(tries = 2000)
  void theNameIsSafeOnEveryCommonFileSystem(@ForAll("hints") String hint) {
    String name = DownloadFilename.of(hint, ID);

    assertThat(name).isNotEmpty().isNotIn(".", "..");
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(name).doesNotContainPattern("[/\\\\:*?\"<>|]");
    assertThat(name.codePoints())
        .noneMatch(Character::isISOControl)
        .noneMatch(c -> Character.getType(c) == Character.FORMAT)
        .noneMatch(c -> Character.getType(c) == Character.SURROGATE)
        .noneMatch(c -> c == '\u2028' || c == '\u2029');
    assertThat(name).doesNotStartWith(".").doesNotEndWith(".");
    assertThat(name.charAt(0)).matches(c -> !Character.isWhitespace(c));
    assertThat(name.charAt(name.length() - 1)).matches(c -> !Character.isWhitespace(c));
    assertThat(name.split("\\.", 2)[0].toUpperCase())
        .doesNotMatch("CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]");
  }

  @Property(tries = 1000)
  void makingANameSafeTwiceChangesNothing(@ForAll("hints") String hint) {
    String name = DownloadFilename.of(hint, ID);

    assertThat(DownloadFilename.of(name, ID)).isEqualTo(name);
  }

  @Property(tries = 2000)
  void theHeaderIsPrintableAsciiAndCarriesTheExactName(@ForAll("hints") String hint) {
    String header = DownloadFilename.contentDisposition(hint, ID);

    assertThat(header).matches("[\\x20-\\x7E]+").startsWith("attachment; filename=\"");
    ContentDisposition parsed = ContentDisposition.parse(header);
    assertThat(parsed.getFilename()).isEqualTo(DownloadFilename.of(hint, ID));
    assertThat(parsed.getCharset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(parsed.isAttachment()).isTrue();
  }

  @Provide
  Arbitrary<String> hints() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(20),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20),
            Arbitraries.of(
                "..",
                "../",
                "..\\",
                "/",
                "\\",
                ".",
                " ",
                "\r\n",
                "\u0000",
                "%2e%2e%2f",
                "C:",
                "\u202E",
                "\u200B",
                "\uFEFF",
                "\u2028",
                "\uD800",
                "\uDC00",
                "😀",
                "é",
                "文件",
                "CON",
                "nul",
                "LPT1",
                "\"",
                "'",
                ";",
                "filename*=",
                "=?UTF-8?Q?",
                "%",
                "*"));
    return pieces.list().ofMaxSize(20).map(list -> String.join("", list));
  }
}
