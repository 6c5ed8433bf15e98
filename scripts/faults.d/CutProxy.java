import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cutting proxy of scripts/faults: relays 127.0.0.1:LISTEN to 127.0.0.1:TARGET and, once
 * CUT bytes (both directions, all connections) have passed, resets the connection carrying that
 * byte (RST, both sides) and relays faithfully from then on. CUT -1 never cuts. Prints
 * "listening", then "cut at byte N of connection K" when it cuts. Runs until killed.
 *
 * <p>Usage: java CutProxy.java LISTEN TARGET CUT
 */
public final class CutProxy {
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicBoolean CUT_DONE = new AtomicBoolean();

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    int target = Integer.parseInt(args[1]);
    long cut = Long.parseLong(args[2]);
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(lo, listen));
      System.out.println("listening");
      System.out.flush();
      for (int k = 1; ; k++) {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(lo, target);
        } catch (IOException e) {
          client.close();
          continue;
        }
        int conn = k;
        start(client, upstream, cut, conn);
        start(upstream, client, cut, conn);
      }
    }
  }

  private static void start(Socket from, Socket to, long cut, int conn) {
    Thread t = new Thread(() -> pump(from, to, cut, conn), "pump-" + conn);
    t.setDaemon(true);
    t.start();
  }

  private static void pump(Socket from, Socket to, long cut, int conn) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        long before = BYTES.getAndAdd(n);
        if (cut >= 0 && before + n > cut && CUT_DONE.compareAndSet(false, true)) {
          int keep = (int) Math.max(0, cut - before);
          out.write(buf, 0, keep);
          out.flush();
          System.out.println("cut at byte " + cut + " of connection " + conn);
          System.out.flush();
          reset(from);
          reset(to);
          return;
        }
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      reset(from);
      reset(to);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
