package org.zrepl.cli.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Module;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.transport.control.UnixControlSockets;
import org.zrepl.transport.http.HttpMetricsListeners;
import org.zrepl.transport.log.NetworkLogSinks;
import org.zrepl.transport.rpc.FramedRpc;
import org.zrepl.transport.wires.NetworkWires;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * The production object graph, built as {@code zrepl} builds it (Stage.PRODUCTION, explicit
 * bindings only) without root or ZFS: building constructs, it runs no {@code zfs}.
 */
class ProductionWiringTest {

  @Test
  void everyTopLevelObjectIsBuiltFromTheRealAdapters() {
    Wiring w = Wiring.production();
    assertThat(w.clock().getZone()).isEqualTo(ZoneId.systemDefault());
    assertThat(w.zfs()).isInstanceOf(CliZfs.class);
    JobDependencies deps = w.jobDependencies();
    assertThat(deps.zfs()).isSameAs(w.zfs());
    assertThat(deps.hooks()).isInstanceOf(LocalCommandRunner.class);
    assertThat(deps.clock()).isSameAs(w.clock());
    assertThat(deps.wires()).isInstanceOf(NetworkWires.class);
    assertThat(deps.rpc()).isInstanceOf(FramedRpc.class);
    assertThat(w.jobBuilders()).isNotNull();
    assertThat(w.activeSides()).isNotNull();
    assertThat(w.daemonServices().controlSockets()).isInstanceOf(UnixControlSockets.class);
    assertThat(w.daemonServices().metricsListeners()).isInstanceOf(HttpMetricsListeners.class);
    assertThat(w.daemonServices().logSinks()).isInstanceOf(NetworkLogSinks.class);
    assertThat(w.inspectFilesystems()).isNotNull();
    assertThat(w.inspectPlaceholders()).isNotNull();
    assertThat(w.pruneDryRun()).isNotNull();
    assertThat(w.abstractions()).isNotNull();
  }

  @Test
  void aMissingAdapterModuleFailsWhenTheInjectorIsBuilt() {
    List<Module> withoutTransports =
        Wiring.productionModules().stream().filter(m -> !(m instanceof TransportModule)).toList();
    assertThatThrownBy(() -> Wiring.of(withoutTransports))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining("org.zrepl.port.transport.Wires")
        .hasMessageContaining("org.zrepl.port.transport.Rpc");
  }

  @Test
  void nothingIsBoundJustInTime() {
    // ActiveSides has an @Inject constructor: without its explicit binding in AppModule, Guice
    // would build it just in time; requireExplicitBindings refuses that.
    List<Module> modules =
        Wiring.productionModules().stream().filter(m -> !(m instanceof AppModule)).toList();
    Wiring w = Wiring.of(modules);
    assertThatThrownBy(w::activeSides).hasMessageContaining("Explicit bindings are required");
  }
}
