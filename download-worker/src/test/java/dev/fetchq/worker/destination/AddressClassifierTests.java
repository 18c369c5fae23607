package dev.fetchq.worker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every special-purpose range, at its edges and just outside them, as {@link InetAddress} values
 * made from literals ({@link InetAddress#ofLiteral} and {@link InetAddress#getByAddress} never look
 * anything up).
 */
class AddressClassifierTests {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    // "this network" and unspecified
    "0.0.0.0, UNSPECIFIED",
    "0.1.2.3, UNSPECIFIED",
    "0.255.255.255, UNSPECIFIED",
    "1.0.0.0, PUBLIC",
    // loopback
    "127.0.0.1, LOOPBACK",
    "127.0.0.2, LOOPBACK",
    "127.255.255.255, LOOPBACK",
    "126.255.255.255, PUBLIC",
    "128.0.0.0, PUBLIC",
    // RFC 1918
    "10.0.0.0, PRIVATE",
    "10.255.255.255, PRIVATE",
    "9.255.255.255, PUBLIC",
    "11.0.0.0, PUBLIC",
    "172.16.0.0, PRIVATE",
    "172.31.255.255, PRIVATE",
    "172.15.255.255, PUBLIC",
    "172.32.0.0, PUBLIC",
    "192.168.0.0, PRIVATE",
    "192.168.255.255, PRIVATE",
    "192.167.255.255, PUBLIC",
    "192.169.0.0, PUBLIC",
    // carrier-grade NAT, RFC 6598
    "100.64.0.0, CARRIER_GRADE_NAT",
    "100.127.255.255, CARRIER_GRADE_NAT",
    "100.63.255.255, PUBLIC",
    "100.128.0.0, PUBLIC",
    // link-local
    "169.254.0.0, LINK_LOCAL",
    "169.254.255.255, LINK_LOCAL",
    "169.253.255.255, PUBLIC",
    "169.255.0.0, PUBLIC",
    // cloud metadata
    "169.254.169.254, CLOUD_METADATA",
    "169.254.170.2, CLOUD_METADATA",
    "169.254.170.23, CLOUD_METADATA",
    "100.100.100.200, CLOUD_METADATA",
    "168.63.129.16, CLOUD_METADATA",
    "168.63.129.17, PUBLIC",
    "169.254.169.253, LINK_LOCAL",
    // IETF protocol assignments, 6to4 relay anycast
    "192.0.0.0, RESERVED",
    "192.0.0.170, RESERVED",
    "192.0.0.255, RESERVED",
    "192.0.1.0, PUBLIC",
    "192.88.99.0, RESERVED",
    "192.88.99.255, RESERVED",
    "192.88.98.255, PUBLIC",
    "192.88.100.0, PUBLIC",
    // documentation
    "192.0.2.0, DOCUMENTATION",
    "192.0.2.255, DOCUMENTATION",
    "198.51.100.7, DOCUMENTATION",
    "198.51.101.0, PUBLIC",
    "203.0.113.255, DOCUMENTATION",
    "203.0.114.0, PUBLIC",
    // benchmarking
    "198.18.0.0, BENCHMARKING",
    "198.19.255.255, BENCHMARKING",
    "198.17.255.255, PUBLIC",
    "198.20.0.0, PUBLIC",
    // multicast, reserved, broadcast
    "224.0.0.0, MULTICAST",
    "239.255.255.255, MULTICAST",
    "223.255.255.255, PUBLIC",
    "240.0.0.0, RESERVED",
    "255.255.255.254, RESERVED",
    "255.255.255.255, BROADCAST",
    // globally reachable, special purpose or not
    "8.8.8.8, PUBLIC",
    "1.1.1.1, PUBLIC",
    "192.31.196.1, PUBLIC",
    "192.52.193.1, PUBLIC",
    "192.175.48.1, PUBLIC",
  })
  void ipv4(String address, AddressClass expected) {
    assertThat(AddressClassifier.classify(InetAddress.ofLiteral(address))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "::, UNSPECIFIED",
    "::1, LOOPBACK",
    // IPv4-compatible (deprecated): what it embeds, and reserved at best
    "::2, UNSPECIFIED",
    "::7f00:1, LOOPBACK",
    "::a00:1, PRIVATE",
    "::808:808, RESERVED",
    // NAT64, well-known prefix: the embedded address
    "64:ff9b::7f00:1, LOOPBACK",
    "64:ff9b::a00:1, PRIVATE",
    "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
    "64:ff9b::6464:64c8, CLOUD_METADATA",
    "64:ff9b::6440:1, CARRIER_GRADE_NAT",
    "64:ff9b::808:808, PUBLIC",
    "64:ff9b::, UNSPECIFIED",
    // NAT64 for local use
    "64:ff9b:1::1, PRIVATE",
    "64:ff9b:1:ffff::, PRIVATE",
    // 6to4: the embedded address
    "2002:7f00:1::, LOOPBACK",
    "2002:c0a8:101::1, PRIVATE",
    "2002:a9fe:a9fe::1, CLOUD_METADATA",
    "2002:e000:1::, MULTICAST",
    "2002:808:808::1, PUBLIC",
    // IETF protocol assignments (Teredo among them), benchmarking
    "2001::1, RESERVED",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED",
    "2001:1ff:ffff:ffff::, RESERVED",
    "2001:200::1, PUBLIC",
    "2001:2::1, BENCHMARKING",
    "2001:2:0:ffff::1, BENCHMARKING",
    "2001:2:1::1, RESERVED",
    // documentation
    "2001:db8::, DOCUMENTATION",
    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, DOCUMENTATION",
    "2001:db9::, PUBLIC",
    "3fff::1, DOCUMENTATION",
    "3fff:fff:ffff::, DOCUMENTATION",
    "3fff:1000::1, PUBLIC",
    // unique-local, with the AWS metadata addresses in it
    "fc00::, UNIQUE_LOCAL",
    "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, UNIQUE_LOCAL",
    "fd00:ec2::254, CLOUD_METADATA",
    "fd00:ec2::23, CLOUD_METADATA",
    "fd00:ec2::255, UNIQUE_LOCAL",
    // link-local, site-local, multicast
    "fe80::1, LINK_LOCAL",
    "febf:ffff::, LINK_LOCAL",
    "fec0::1, PRIVATE",
    "feff:ffff::, PRIVATE",
    "ff02::1, MULTICAST",
    "ff00::, MULTICAST",
    // outside global unicast 2000::/3
    "100::1, RESERVED",
    "5f00::1, RESERVED",
    "1fff:ffff::, RESERVED",
    "4000::1, RESERVED",
    "fbff::1, RESERVED",
    "fe00::1, RESERVED",
    // global unicast
    "2000::1, PUBLIC",
    "2606:4700:4700::1111, PUBLIC",
    "2a00:1450:4001:81d::200e, PUBLIC",
    "3ffe::1, PUBLIC",
  })
  void ipv6(String address, AddressClass expected) {
    assertThat(AddressClassifier.classify(InetAddress.ofLiteral(address))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "::ffff:{0} is {1}")
  @CsvSource({
    "127.0.0.1, LOOPBACK",
    "10.1.2.3, PRIVATE",
    "169.254.169.254, CLOUD_METADATA",
    "0.0.0.0, UNSPECIFIED",
    "8.8.8.8, PUBLIC",
  })
  void ipv4MappedAddressesAreTheirIpv4AddressWhicheverTypeHoldsThem(
      String ipv4, AddressClass expected) throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(InetAddress.ofLiteral(ipv4).getAddress(), 0, mapped, 12, 4);

    // Java turns ::ffff:a.b.c.d into an Inet4Address (and connects over IPv4)...
    InetAddress converted = InetAddress.getByAddress(mapped);
    // ...but an Inet6Address can hold the mapped form too.
    InetAddress kept = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(converted).isInstanceOf(Inet4Address.class);
    assertThat(kept).isInstanceOf(Inet6Address.class);
    assertThat(AddressClassifier.classify(converted)).isEqualTo(expected);
    assertThat(AddressClassifier.classify(kept)).isEqualTo(expected);
  }

  @Test
  void aScopeIdChangesNothing() throws UnknownHostException {
    byte[] linkLocal = InetAddress.ofLiteral("fe80::1").getAddress();
    byte[] metadata = InetAddress.ofLiteral("fd00:ec2::254").getAddress();

    assertThat(AddressClassifier.classify(Inet6Address.getByAddress(null, linkLocal, 2)))
        .isEqualTo(AddressClass.LINK_LOCAL);
    assertThat(AddressClassifier.classify(Inet6Address.getByAddress(null, metadata, 2)))
        .isEqualTo(AddressClass.CLOUD_METADATA);
  }

  @Test
  void literalFormsJavaAcceptsAreClassifiedAsTheAddressTheyConnectTo() {
    // What Java parses is what the client connects to, so that is what counts.
    assertThat(AddressClassifier.classify(InetAddress.ofLiteral("2130706433")))
        .isEqualTo(AddressClass.LOOPBACK);
    assertThat(AddressClassifier.classify(InetAddress.ofLiteral("127.1")))
        .isEqualTo(AddressClass.LOOPBACK);
    assertThat(AddressClassifier.classify(InetAddress.ofLiteral("[::ffff:7f00:1]")))
        .isEqualTo(AddressClass.LOOPBACK);
  }

  @Test
  void theEmbeddedIpv4AddressIsNamedWithHowItIsEmbedded() {
    assertThat(AddressClassifier.embeddedIpv4(InetAddress.ofLiteral("64:ff9b::7f00:1")))
        .hasValueSatisfying(
            e -> {
              assertThat(e.kind()).isEqualTo("NAT64");
              assertThat(e.ipv4()).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
            });
    assertThat(AddressClassifier.embeddedIpv4(InetAddress.ofLiteral("2002:a00:1::")))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("6to4"));
    assertThat(AddressClassifier.embeddedIpv4(InetAddress.ofLiteral("::1"))).isEmpty();
    assertThat(AddressClassifier.embeddedIpv4(InetAddress.ofLiteral("2001:db8::1"))).isEmpty();
    assertThat(AddressClassifier.embeddedIpv4(InetAddress.ofLiteral("10.0.0.1"))).isEmpty();
  }

  @ParameterizedTest(name = "{0} reads {1}")
  @CsvSource({
    "::, ::",
    "::1, ::1",
    "0:0:0:0:0:0:0:1, ::1",
    "fd00:ec2:0:0:0:0:0:254, fd00:ec2::254",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:1:1:1:1:1:1, 2001:db8:1:1:1:1:1:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "127.0.0.1, 127.0.0.1",
  })
  void addressesAreWrittenAsPeopleReadThem(String literal, String expected) {
    assertThat(Addresses.format(InetAddress.ofLiteral(literal))).isEqualTo(expected);
  }
}
