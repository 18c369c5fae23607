package dev.fetchq.worker.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedHostsTests {

  private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

  @ParameterizedTest(name = "{0} allows {1} as {2} port {3}: {4}")
  @CsvSource({
    // one address, any port
    "127.0.0.1, 127.0.0.1, 127.0.0.1, 8080, true",
    "127.0.0.1, 127.0.0.2, 127.0.0.2, 8080, false",
    // one address, one port
    "127.0.0.1:8080, 127.0.0.1, 127.0.0.1, 8080, true",
    "127.0.0.1:8080, 127.0.0.1, 127.0.0.1, 8081, false",
    // blocks
    "127.0.0.0/8, 127.1.2.3, 127.1.2.3, 1, true",
    "10.0.0.0/8:443, 10.9.9.9, 10.9.9.9, 443, true",
    "10.0.0.0/8:443, 10.9.9.9, 10.9.9.9, 80, false",
    "172.16.0.0/12, 172.31.255.255, 172.31.255.255, 80, true",
    "172.16.0.0/12, 172.32.0.0, 172.32.0.0, 80, false",
    "0.0.0.0/0, 192.168.1.1, 192.168.1.1, 80, true",
    // IPv6, bare (any port) and bracketed (with a port)
    "::1, ::1, ::1, 80, true",
    "::1/128, ::1, ::1, 80, true",
    "[::1]:8080, ::1, ::1, 8080, true",
    "[::1]:8080, ::1, ::1, 80, false",
    "fd00::/8, fd12:3456::1, fd12:3456::1, 80, true",
    "[fd00::/8]:9000, fd12:3456::1, fd12:3456::1, 9000, true",
    "fd00::/8, fc00::1, fc00::1, 80, false",
    // an IPv4 block never covers an IPv6 address
    "127.0.0.0/8, 64:ff9b::7f00:1, 64:ff9b::7f00:1, 80, false",
    // host names: whatever they resolve to, case and trailing dot aside
    "demo-origin, demo-origin, 172.18.0.5, 80, true",
    "Demo-Origin, demo-origin., 172.18.0.5, 80, true",
    "demo-origin:8080, demo-origin, 172.18.0.5, 80, false",
    "demo-origin, other-origin, 172.18.0.5, 80, false",
    "demo_origin, demo_origin, 172.18.0.5, 80, true",
    // a name entry does not open an address reached by another name or literally
    "localhost, 127.0.0.1, 127.0.0.1, 80, false",
  })
  void entriesOpenWhatTheyName(
      String entry, String host, String address, int port, boolean allowed) {
    var hosts = AllowedHosts.parse(List.of(entry));

    assertThat(
            hosts.allows(AllowedHosts.normalize(host), InetAddress.ofLiteral(address), port, false))
        .isEqualTo(allowed);
  }

  @Test
  void aListIsAnyOfItsEntriesAndBlanksAreIgnored() {
    var hosts = AllowedHosts.parse(List.of(" 10.0.0.0/8 ", "", "demo-origin"));

    assertThat(hosts.entries()).containsExactly("10.0.0.0/8", "demo-origin");
    assertThat(hosts.allows("x", InetAddress.ofLiteral("10.1.1.1"), 80, false)).isTrue();
    assertThat(hosts.allows("demo-origin", LOOPBACK, 80, false)).isTrue();
    assertThat(hosts.allows("x", LOOPBACK, 80, false)).isFalse();
  }

  @Test
  void withoutAKnownPortOnlyEntriesForEveryPortApply() {
    var hosts = AllowedHosts.parse(List.of("127.0.0.1:8080", "::1"));

    assertThat(hosts.allows("127.0.0.1", LOOPBACK, AllowedHosts.ANY_PORT, false)).isFalse();
    assertThat(hosts.allowsOnSomePort("127.0.0.1", LOOPBACK, false)).isTrue();
    assertThat(hosts.allows("::1", InetAddress.ofLiteral("::1"), AllowedHosts.ANY_PORT, false))
        .isTrue();
  }

  @Test
  void cloudMetadataOpensOnlyToAnEntryNamingTheExactAddress() {
    InetAddress metadata = InetAddress.ofLiteral("169.254.169.254");

    assertThat(AllowedHosts.parse(List.of("169.254.0.0/16")).allows("m", metadata, 80, true))
        .isFalse();
    assertThat(AllowedHosts.parse(List.of("0.0.0.0/0")).allows("m", metadata, 80, true)).isFalse();
    assertThat(AllowedHosts.parse(List.of("m")).allows("m", metadata, 80, true)).isFalse();
    assertThat(AllowedHosts.parse(List.of("169.254.169.254")).allows("m", metadata, 80, true))
        .isTrue();
    assertThat(AllowedHosts.parse(List.of("169.254.169.254/32")).allows("m", metadata, 80, true))
        .isTrue();
    assertThat(
            AllowedHosts.parse(List.of("fd00:ec2::254/128"))
                .allows("m", InetAddress.ofLiteral("fd00:ec2::254"), 80, true))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1/8",
        "10.0.0.0/33",
        "::1/129",
        "fd00::1/8",
        "10.0.0.0/x",
        "256.0.0.1",
        "127.1",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "127.0.0.1:http",
        "[::1",
        "[::1]8080",
        "[127.0.0.1]",
        "host name",
        "-leading-dash",
        "http://demo-origin",
        "demo-origin/path",
        "*.example.org",
      })
  void anythingElseFailsNamingThePropertyAndTheEntry(String entry) {
    assertThatThrownBy(() -> AllowedHosts.parse(List.of("127.0.0.1", entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fetchq.worker.allowed-hosts: '" + entry + "' is not");
  }
}
