package org.zrepl.app.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** One entry of {@code global.logging}. */
public sealed interface LoggingOutlet {

  Level level();

  Format format();

  /** Minimum level of entries written to the outlet. */
  enum Level implements ConfigWord {
    ERROR("error"),
    WARN("warn"),
    INFO("info"),
    DEBUG("debug");

    private final String word;

    Level(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }
  }

  enum Format implements ConfigWord {
    HUMAN("human"),
    LOGFMT("logfmt"),
    JSON("json");

    private final String word;

    Format(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }
  }

  /** Writes to standard output; zrepl's default has {@code time} and {@code color} on. */
  record Stdout(Level level, Format format, boolean time, boolean color) implements LoggingOutlet {
    public Stdout {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(format, "format");
    }
  }

  /** Writes to syslog with {@code facility} (default local0). */
  record Syslog(Level level, Format format, String facility, Duration retryInterval)
      implements LoggingOutlet {
    public Syslog {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(facility, "facility");
      Objects.requireNonNull(retryInterval, "retryInterval");
    }
  }

  /** Sends entries over TCP to {@code address}, with client-authenticated TLS if {@code tls}. */
  record Tcp(
      Level level,
      Format format,
      String address,
      String net,
      Duration retryInterval,
      Optional<TlsFiles> tls)
      implements LoggingOutlet {
    public Tcp {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(net, "net");
      Objects.requireNonNull(retryInterval, "retryInterval");
      Objects.requireNonNull(tls, "tls");
    }
  }

  /** PEM files: the CA that signed the peer's certificate, our certificate and its key. */
  record TlsFiles(String ca, String cert, String key) {
    public TlsFiles {
      Objects.requireNonNull(ca, "ca");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
    }
  }
}
