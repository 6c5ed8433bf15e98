package org.zrepl.transport.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.zrepl.port.transport.ClientIdentity;

/**
 * A tcp listener's {@code clients:}: IP addresses and CIDR networks mapped to client identities.
 * The most specific entry wins; in a network's identity a {@code *} stands for the client's address
 * ({@code 192.168.0.0/24: "lan-*"}). Addresses must be literal, never host names.
 */
public final class ClientMap {
  private final List<Entry> entries;

  @SuppressWarnings("ArrayRecordComponent") // private, never mutated after parsing
  private record Entry(byte[] network, int prefix, String identity) {}

  private ClientMap(List<Entry> entries) {
    this.entries = entries;
  }

  /** Parses the mapping; throws naming the first bad key or identity. */
  public static ClientMap of(Map<String, String> clients) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, String> e : clients.entrySet()) {
      String key = e.getKey();
      String addr = key;
      int prefix = -1;
      int slash = key.indexOf('/');
      if (slash >= 0) {
        addr = key.substring(0, slash);
        try {
          prefix = Integer.parseInt(key.substring(slash + 1));
        } catch (NumberFormatException nfe) {
          throw new IllegalArgumentException("clients: bad CIDR prefix in '" + key + "'");
        }
      }
      byte[] ip = literal(addr, key);
      int bits = ip.length * 8;
      if (prefix == -1) {
        prefix = bits;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "clients: prefix of '" + key + "' must be 0.." + bits + ", got " + prefix);
      }
      String id = e.getValue();
      if (id.contains("*") && prefix == bits) {
        throw new IllegalArgumentException(
            "clients: '*' in identity '" + id + "' is only allowed for networks, not for " + key);
      }
      new ClientIdentity(id.replace("*", "x")); // validates the rest
      out.add(new Entry(ip, prefix, id));
    }
    out.sort(Comparator.comparingInt(Entry::prefix).reversed());
    return new ClientMap(List.copyOf(out));
  }

  /** The identity of a client at {@code address}, if the mapping knows it. */
  public Optional<ClientIdentity> identify(InetAddress address) {
    byte[] ip = address.getAddress();
    for (Entry e : entries) {
      if (e.network.length == ip.length && matches(e.network, ip, e.prefix)) {
        return Optional.of(new ClientIdentity(e.identity.replace("*", address.getHostAddress())));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(byte[] net, byte[] ip, int prefix) {
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((net[bit / 8] & mask) != (ip[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] literal(String addr, String key) {
    boolean looksLiteral = addr.matches("[0-9.]+") || addr.contains(":");
    if (!looksLiteral) {
      throw new IllegalArgumentException(
          "clients: '" + key + "' is not an IP address or CIDR (host names are not allowed)");
    }
    try {
      return InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("clients: '" + key + "' is not an IP address", e);
    }
  }
}
