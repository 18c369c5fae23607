package dev.fetchq.worker.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

/** The guard as HttpClient's connection operator uses it, over a scripted resolver (no DNS). */
class DestinationGuardTests {

  private final List<String> lookups = new ArrayList<>();
  private final DnsResolver names =
      new ScriptedResolver(
          Map.of(
              "public.example", addresses("93.184.215.14"),
              "rebind.example", addresses("10.0.0.7"),
              "demo-origin", addresses("172.18.0.5"),
              "localhost", addresses("127.0.0.1", "::1")),
          lookups);

  @Test
  void aPublicNameResolvesToItsAddressesOnTheRequestedPort() throws UnknownHostException {
    var guard = guard();

    assertThat(guard.resolve("public.example", 443))
        .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("93.184.215.14"), 443));
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefusedOnceResolved() {
    var guard = guard();

    assertThatThrownBy(() -> guard.resolve("rebind.example", 80))
        .isInstanceOf(BlockedDestinationException.class)
        .hasMessageStartingWith("rebind.example resolves to 10.0.0.7, a private address");
    assertThat(lookups).containsExactly("rebind.example");
  }

  @Test
  void anIpLiteralIsCheckedWithoutALookup() {
    var guard = guard();

    assertThatThrownBy(() -> guard.resolve("127.0.0.1", 8080))
        .isInstanceOf(BlockedDestinationException.class)
        .hasMessage(
            "127.0.0.1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it");
    assertThatThrownBy(() -> guard.resolve("[::1]", 8080))
        .hasMessage("::1 is a loopback address; add it to fetchq.worker.allowed-hosts to allow it");
    assertThatThrownBy(() -> guard.resolve("[::ffff:169.254.169.254]", 80))
        .hasMessageStartingWith("169.254.169.254 is a cloud metadata address; only an entry");
    assertThat(lookups).isEmpty();
  }

  @Test
  void theAllowListOpensHostsAddressesAndPorts() throws UnknownHostException {
    var guard = guard("demo-origin", "127.0.0.1:8080", "::1");

    assertThat(guard.resolve("demo-origin", 80)).hasSize(1);
    assertThat(guard.resolve("127.0.0.1", 8080))
        .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 8080));
    assertThatThrownBy(() -> guard.resolve("127.0.0.1", 8081))
        .hasMessageContaining("allows it on other ports only; add 127.0.0.1:8081");
    // localhost by name: ::1 is allowed, 127.0.0.1 only on 8080.
    assertThat(guard.resolve("localhost", 9000))
        .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("::1"), 9000));
    assertThat(guard.resolve("localhost", 8080)).hasSize(2);
  }

  @Test
  void withoutAPortOnlyEntriesForAnyPortApply() throws UnknownHostException {
    var guard = guard("127.0.0.1:8080", "demo-origin");

    assertThatThrownBy(() -> guard.resolve("127.0.0.1"))
        .isInstanceOf(BlockedDestinationException.class);
    assertThat(guard.resolve("demo-origin")).hasSize(1);
  }

  @Test
  void anUnknownNameStaysADnsFailure() {
    var guard = guard();

    assertThatThrownBy(() -> guard.resolve("nowhere.invalid", 80))
        .isExactlyInstanceOf(UnknownHostException.class);
  }

  private DestinationGuard guard(String... allowed) {
    return new DestinationGuard(new DestinationPolicy(AllowedHosts.parse(List.of(allowed))), names);
  }

  private static InetAddress[] addresses(String... literals) {
    return java.util.Arrays.stream(literals)
        .map(InetAddress::ofLiteral)
        .toArray(InetAddress[]::new);
  }

  private record ScriptedResolver(Map<String, InetAddress[]> answers, List<String> lookups)
      implements DnsResolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      lookups.add(host);
      InetAddress[] answer = answers.get(host);
      if (answer == null) {
        throw new UnknownHostException(host);
      }
      return answer;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }
}
