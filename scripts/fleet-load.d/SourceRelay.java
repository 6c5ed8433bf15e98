import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The address relay of scripts/fleet-load: on loopback every connection comes from 127.0.0.1, so
 * a sink's tcp `clients` map (identity by IP) could not tell the clients apart. For each
 * LISTEN=ADDRESS pair this relays 127.0.0.1:LISTEN to 127.0.0.1:TARGET with the outgoing socket
 * bound to ADDRESS (any 127.x.y.z), as a router in front of each client host would. It copies
 * bytes and half-closes faithfully and never changes them. Prints "listening" once all ports are
 * bound. Runs until killed.
 *
 * <p>Usage: java SourceRelay.java TARGET LISTEN=ADDRESS...
 */
public final class SourceRelay {
  public static void main(String[] args) throws IOException {
    int target = Integer.parseInt(args[0]);
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int i = 1; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(lo, Integer.parseInt(pair[0])));
      InetAddress from = InetAddress.getByName(pair[1]);
      Thread t = new Thread(() -> serve(server, from, lo, target), "accept-" + pair[0]);
      t.start();
    }
    System.out.println("listening");
    System.out.flush();
  }

  private static void serve(ServerSocket server, InetAddress from, InetAddress lo, int target) {
    for (int k = 1; ; k++) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.bind(new InetSocketAddress(from, 0));
        upstream.connect(new InetSocketAddress(lo, target));
      } catch (IOException e) {
        System.out.println("cannot connect from " + from + ": " + e);
        close(client);
        close(upstream);
        continue;
      }
      start(client, upstream, k);
      start(upstream, client, k);
    }
  }

  private static void start(Socket from, Socket to, int conn) {
    Thread t = new Thread(() -> pump(from, to), "pump-" + conn);
    t.setDaemon(true);
    t.start();
  }

  private static void pump(Socket from, Socket to) {
    byte[] buf = new byte[65536];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
      if (from.isOutputShutdown()) {
        close(from);
        close(to);
      }
    } catch (IOException e) {
      close(from);
      close(to);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
