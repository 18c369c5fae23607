package dev.fetchq.worker.destination;

import java.net.InetAddress;
import java.util.List;

/** Real refusals of the guard, for tests in other packages. */
public final class BlockedDestinations {

  private BlockedDestinations() {}

  /** What the default guard throws for {@code http://127.0.0.1/}. */
  public static BlockedDestinationException loopback() {
    try {
      new DestinationPolicy(AllowedHosts.none())
          .permitted("127.0.0.1", 80, List.of(InetAddress.ofLiteral("127.0.0.1")), true);
    } catch (BlockedDestinationException e) {
      return e;
    }
    throw new AssertionError("127.0.0.1 was allowed");
  }
}
