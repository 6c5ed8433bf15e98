package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job.Sink;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.remote.Transports;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.zfs.fake.InMemoryZfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/** A sink job in the daemon serves on its tcp listener until stopped; a taken port fails it. */
class ServingJobRuntimeIT {
  private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 3);
  private final JobDependencies deps =
      org.zrepl.app.TestAdapters.deps(zfs, new LocalCommandRunner(), clock);

  private static Sink sink(int port) {
    String yaml =
        """
        jobs:
        - name: sink
          type: sink
          serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "laptop" } }
          root_fs: backups
        """
            .replace("PORT", Integer.toString(port));
    Config c = ((LoadResult.Valid) ConfigLoader.parse("zrepl.yml", yaml, Path.of("."))).config();
    return (Sink) c.jobs().get(0);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aSinkServesItsClientsBelowRootFsAndIdentityUntilStopped() throws Exception {
    zfs.createPool("backups");
    int port = freePort();
    Transports transports = org.zrepl.app.TestAdapters.transports(clock);
    ServingJobRuntime job = ServingJobRuntime.sink(sink(port), deps, transports);
    job.start();
    assertThat(job.status().state()).isEqualTo("serving");
    DatasetPath a = DatasetPath.of("pool/a");
    try (RpcClient c = new RpcClient(TcpConnector.of("127.0.0.1:" + port, Duration.ofSeconds(5)))) {
      Map<DatasetPath, ReceiverFilesystem> fss = new RemoteReceiver(c).listFilesystems(List.of(a));
      assertThat(fss.get(a).localPath()).isEqualTo(DatasetPath.of("backups/laptop/pool/a"));
      assertThat(fss.get(a).exists()).isFalse();
    }
    ServingJobRuntime second = ServingJobRuntime.sink(sink(port), deps, transports);
    assertThatThrownBy(second::start)
        .isInstanceOf(ServeFailedException.class)
        .hasMessage(
            "job 'sink' cannot serve tcp 127.0.0.1:%d: cannot listen on 127.0.0.1:%d: Address"
                + " already in use",
            port, port)
        .hasRootCauseInstanceOf(java.net.BindException.class);
    assertThat(second.status().state()).isEqualTo("failed");
    assertThatThrownBy(job::wakeup).isInstanceOf(SignalRefusedException.class);
    job.stop();
    assertThat(job.status().state()).isEqualTo("stopped");
  }
}
