package logicalclocks.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.HostPort;
import logicalclocks.transport.SnapshotServiceImpl;
import logicalclocks.transport.proto.SnapshotServiceGrpc;
import logicalclocks.transport.proto.TakeReply;
import logicalclocks.transport.proto.TakeRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code snapshot PEERS}: VM 0 of a running cluster (or {@code local} run) takes a distributed
 * snapshot; prints whether it completed, and where VM 0 wrote its record.
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "Take a distributed snapshot of a running cluster (or local run): VM 0 records its state, its"
          + " markers reach the others over their own links, each VM records its state and the"
          + " messages in transit towards it, and VM 0 writes the record to its log folder"
          + " (snapshots/<id>.json). Exit 0 when the snapshot completed, 1 when it failed (the"
          + " reason is printed) or VM 0 could not be reached.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class SnapshotCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin PeersArgument cluster = new PeersArgument();

  @Override
  public Integer call() throws Exception {
    List<HostPort> vms = cluster.vms();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HostPort initiator = vms.get(0);
    ManagedChannel channel = cluster.network().channel(initiator);
    try {
      TakeReply r =
          SnapshotServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(
                  SnapshotServiceImpl.MAX_TAKE.toMillis() + 10_000, TimeUnit.MILLISECONDS)
              .take(TakeRequest.newBuilder().setMachines(vms.size()).build());
      if (r.getComplete()) {
        out.printf(
            "snapshot %d: complete; its record is %s on VM 0's host%n", r.getId(), r.getPath());
        out.flush();
        return 0;
      }
      out.printf(
          "snapshot %d: FAILED: %s; its record is %s on VM 0's host%n",
          r.getId(), r.getReason(), r.getPath());
      out.flush();
      return Main.EXIT_FAILURE;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT) {
        err.printf(
            "error: PEERS='%s' is invalid: %s (expected host:port of every VM, VM 0 first)%n",
            cluster.peers, e.getStatus().getDescription());
        err.flush();
        return Main.EXIT_CONFIG;
      }
      err.printf(
          "error: VM 0 at %s took no snapshot: %s%s%n",
          initiator,
          e.getStatus().getCode(),
          e.getStatus().getDescription() == null
              ? ""
              : " (" + e.getStatus().getDescription() + ")");
      err.flush();
      return Main.EXIT_FAILURE;
    } finally {
      channel.shutdownNow();
    }
  }
}
