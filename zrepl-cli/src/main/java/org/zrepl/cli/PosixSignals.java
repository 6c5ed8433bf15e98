package org.zrepl.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module jdk.unsupported), reached by
 * reflection: javac warns about the direct use of that API and the build fails on warnings.
 */
final class PosixSignals implements Main.Signals {

  @Override
  public boolean on(String signal, Runnable handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object sig = signalClass.getConstructor(String.class).newInstance(signal);
      Object proxy =
          Proxy.newProxyInstance(
              handlerClass.getClassLoader(),
              new Class<?>[] {handlerClass},
              (p, m, args) -> {
                if (m.getName().equals("handle")) {
                  handler.run();
                  return null;
                }
                return m.getDeclaringClass() == Object.class ? objectMethod(p, m, args) : null;
              });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object previous = handle.invoke(null, sig, proxy);
      // The JVM leaves a shutdown signal (HUP, INT, TERM) alone when the process that started it
      // ignored it (nohup, a background job): the handler above is then never called.
      return previous == null || !previous.equals(handlerClass.getField("SIG_IGN").get(null));
    } catch (ClassNotFoundException
        | NoSuchFieldException
        | NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new CliException("cannot handle signal " + signal + ": " + e);
    }
  }

  private static Object objectMethod(Object proxy, Method m, Object[] args) {
    return switch (m.getName()) {
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> "PosixSignals handler";
    };
  }
}
