package dev.fetchq.worker.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationPolicyTests {

  private final DestinationPolicy guard = new DestinationPolicy(AllowedHosts.none());

  @Test
  void publicAddressesArePermitted() throws BlockedDestinationException {
    var addresses = addresses("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");

    assertThat(guard.permitted("example.org", 443, addresses, false)).isEqualTo(addresses);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1|127.0.0.1 is a loopback address; add it to fetchq.worker.allowed-hosts to"
            + " allow it",
        "[::1]|::1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it",
        "[0:0:0:0:0:0:0:1]|::1 is a loopback address; add it to fetchq.worker.allowed-hosts to"
            + " allow it",
        "10.1.2.3|10.1.2.3 is a private address; add it to fetchq.worker.allowed-hosts to allow it",
        "0.0.0.0|0.0.0.0 is an unspecified address; add it to fetchq.worker.allowed-hosts to allow"
            + " it",
        "100.64.1.1|100.64.1.1 is a carrier-grade NAT (shared) address; add it to"
            + " fetchq.worker.allowed-hosts to allow it",
        "[fe80::1]|fe80::1 is a link-local address; add it to fetchq.worker.allowed-hosts to allow"
            + " it",
        "2130706433|2130706433 is 127.0.0.1, a loopback address; add it to"
            + " fetchq.worker.allowed-hosts to allow it",
        "[64:ff9b::a00:1]|64:ff9b::a00:1 (NAT64 for 10.0.0.1) is a private address; add it to"
            + " fetchq.worker.allowed-hosts to allow it",
        "169.254.169.254|169.254.169.254 is a cloud metadata address; only an entry naming exactly"
            + " this address in fetchq.worker.allowed-hosts allows it",
      })
  void aRefusedLiteralSaysWhatItIsAndHowToAllowIt(String host, String message) {
    String text = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;

    assertThatThrownBy(() -> guard.permitted(host, 80, List.of(InetAddress.ofLiteral(text)), true))
        .isInstanceOf(BlockedDestinationException.class)
        .hasMessage(message);
  }

  @Test
  void aRefusedNameSaysWhatItResolvedTo() {
    assertThatThrownBy(
            () -> guard.permitted("internal.example", 80, addresses("192.168.1.10"), false))
        .hasMessage(
            "internal.example resolves to 192.168.1.10, a private address; add the host or the"
                + " address to fetchq.worker.allowed-hosts to allow it");
    assertThatThrownBy(() -> guard.permitted("localhost", 80, addresses("127.0.0.1", "::1"), false))
        .hasMessage(
            "localhost resolves only to refused addresses: 127.0.0.1 (a loopback address), ::1 (a"
                + " loopback address); add the host or its addresses to"
                + " fetchq.worker.allowed-hosts to allow it");
  }

  @Test
  void refusedAddressesAreLeftOutWhenOthersRemain() throws BlockedDestinationException {
    // A name that also resolves to an internal address (rebinding, or a split-horizon mistake) is
    // only ever connected to through its public ones.
    var permitted =
        guard.permitted("mixed.example", 80, addresses("10.0.0.1", "93.184.215.14", "::1"), false);

    assertThat(permitted).containsExactly(InetAddress.ofLiteral("93.184.215.14"));
  }

  @Test
  void anAllowListEntryOpensAnAddressOnItsPortOnly() throws BlockedDestinationException {
    var policy = new DestinationPolicy(AllowedHosts.parse(List.of("127.0.0.1:8080")));

    assertThat(policy.permitted("127.0.0.1", 8080, addresses("127.0.0.1"), true)).hasSize(1);
    assertThatThrownBy(() -> policy.permitted("127.0.0.1", 9090, addresses("127.0.0.1"), true))
        .hasMessage(
            "127.0.0.1 is a loopback address and fetchq.worker.allowed-hosts allows it on other"
                + " ports only; add 127.0.0.1:9090 to allow this one");
    assertThatThrownBy(() -> policy.permitted("[::1]", 8080, addresses("::1"), true))
        .hasMessage("::1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it");
  }

  @Test
  void anAllowedHostNameMayResolveToPrivateAddresses() throws BlockedDestinationException {
    var policy = new DestinationPolicy(AllowedHosts.parse(List.of("demo-origin")));

    assertThat(policy.permitted("demo-origin", 80, addresses("172.18.0.5"), false)).hasSize(1);
    assertThat(policy.permitted("DEMO-ORIGIN.", 80, addresses("172.18.0.5"), false)).hasSize(1);
    assertThatThrownBy(() -> policy.permitted("172.18.0.5", 80, addresses("172.18.0.5"), true))
        .isInstanceOf(BlockedDestinationException.class);
    // Metadata stays closed to a name, whatever it resolves to.
    assertThatThrownBy(
            () -> policy.permitted("demo-origin", 80, addresses("169.254.169.254"), false))
        .hasMessageContaining("cloud metadata address");
  }

  private static List<InetAddress> addresses(String... literals) {
    return Arrays.stream(literals).map(InetAddress::ofLiteral).toList();
  }
}
