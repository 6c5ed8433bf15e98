package org.zrepl.transport.log;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code net} of zrepl's tcp log outlet, which zrepl hands to Go's {@code net.Dial}: {@code
 * tcp}/{@code udp} dial any address of the host, {@code tcp4}/{@code udp4} only IPv4 and {@code
 * tcp6}/{@code udp6} only IPv6 ones.
 */
final class Networks {

  private Networks() {}

  /** Whether {@code net} is one of the six values. */
  static boolean known(String net) {
    return switch (net) {
      case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6" -> true;
      default -> false;
    };
  }

  /** {@code host:port} or {@code [v6]:port} split, the brackets removed. */
  record HostPort(String host, int port) {
    static HostPort parse(String address) {
      int colon = address.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "log outlet address must be host:port, got '" + address + "'");
      }
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "log outlet address must be host:port, got '" + address + "'", e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("log outlet port must be 1..65535, got " + port);
      }
      return new HostPort(host, port);
    }
  }

  /**
   * The first address of {@code host} in {@code net}'s family (any family for {@code tcp} and
   * {@code udp}), resolved now; throws naming the host and the family when there is none.
   */
  static InetAddress resolve(String net, String host) throws IOException {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new UnknownHostException("cannot resolve log server host '" + host + "': " + e);
    }
    for (InetAddress a : all) {
      if (net.endsWith("4")
          ? a instanceof Inet4Address
          : net.endsWith("6") ? a instanceof Inet6Address : true) {
        return a;
      }
    }
    throw new UnknownHostException(
        "log server host '"
            + host
            + "' has no "
            + (net.endsWith("4") ? "IPv4" : "IPv6")
            + " address (net: "
            + net
            + ")");
  }

  /** {@code a:port} as the connectors parse it. */
  static String address(InetAddress a, int port) {
    String ip = a.getHostAddress();
    return (a instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port;
  }
}
