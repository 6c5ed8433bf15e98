package org.zrepl.transport.tcp;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.ServerSocket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.byref.IntByReference;

/**
 * {@code listen_freebind}: Linux's {@code IP_FREEBIND} on a listening socket before it is bound, so
 * that it may bind an address that is not (yet) configured on this machine, as zrepl does. The JDK
 * has no option for it: the option is set with {@code setsockopt(2)} (through jnr-ffi) on the
 * socket's file descriptor, which the JDK hands out only to code it exports {@code sun.nio.ch} to:
 * the JVM needs {@value #JVM_OPTION} ({@code bin/zrepl} runs the jar, whose manifest carries it;
 * the tests' JVMs get it from the build). Without it, binding with freebind fails saying so.
 */
public final class Freebind {

  /** The JVM option that lets this class read a socket's file descriptor. */
  public static final String JVM_OPTION = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

  // <netinet/in.h> on Linux; IP_FREEBIND marks the socket for IPv4 and for IPv6 (an IPv6 socket
  // consults the same flag), IPV6_FREEBIND (since Linux 4.15) is the IPv6 spelling.
  static final int SOL_IP = 0;
  static final int IP_FREEBIND = 15;
  static final int SOL_IPV6 = 41;
  static final int IPV6_FREEBIND = 78;

  /** The C library's {@code setsockopt(2)}. */
  public interface LibC {
    int setsockopt(int fd, int level, int option, @In IntByReference value, int length);
  }

  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  }

  private Freebind() {}

  /** An unbound server socket with freebind set; bind it as usual. */
  public static ServerSocket serverSocket() throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      enable(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch.socket();
  }

  /** Sets freebind on {@code channel}'s socket (before it is bound). */
  public static void enable(NetworkChannel channel) throws IOException {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      throw new IOException(
          "listen_freebind: IP_FREEBIND is a Linux socket option, not available on "
              + System.getProperty("os.name"));
    }
    int fd = fd(channel);
    LibC libc = Holder.LIBC;
    IntByReference one = new IntByReference(1);
    if (libc.setsockopt(fd, SOL_IP, IP_FREEBIND, one, Integer.BYTES) == 0) {
      return;
    }
    int first = LastError.getLastError(Runtime.getRuntime(libc));
    if (libc.setsockopt(fd, SOL_IPV6, IPV6_FREEBIND, one, Integer.BYTES) == 0) {
      return;
    }
    throw new IOException(
        "listen_freebind: setsockopt IP_FREEBIND failed: " + Errno.valueOf(first).description());
  }

  /** The socket's file descriptor number, through the JDK's {@code sun.nio.ch.SelChImpl}. */
  static int fd(NetworkChannel channel) throws IOException {
    try {
      Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
      if (!selCh.isInstance(channel)) {
        throw new IOException(
            "listen_freebind: cannot find the socket of a " + channel.getClass().getName());
      }
      return (Integer) selCh.getMethod("getFDVal").invoke(channel);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new IOException(
          "listen_freebind needs the JVM option "
              + JVM_OPTION
              + " (bin/zrepl runs the jar, whose manifest carries it; add it when starting the JVM"
              + " otherwise): "
              + e,
          e);
    } catch (ClassNotFoundException | NoSuchMethodException | InvocationTargetException e) {
      throw new IOException(
          "listen_freebind: this JVM has no sun.nio.ch.SelChImpl.getFDVal to find the socket: " + e,
          e);
    }
  }
}
