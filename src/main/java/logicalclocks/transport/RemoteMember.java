package logicalclocks.transport;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import logicalclocks.transport.proto.SnapshotId;
import logicalclocks.transport.proto.SnapshotPart;
import logicalclocks.transport.proto.SnapshotServiceGrpc;
import logicalclocks.transport.proto.StateRequest;
import logicalclocks.vm.Snapshots;

/**
 * Another VM as a snapshot's member, reached over its gRPC link (the one its clock messages take).
 * A call that fails (the VM is down, killed, partitioned) says so: the snapshot waits for it until
 * its timeout.
 */
public final class RemoteMember implements Snapshots.Member {
  /** The deadline of one call. */
  public static final long CALL_MS = 1000;

  private final int id;
  private final List<Integer> others;
  private final Channel channel;

  public RemoteMember(int id, List<Integer> others, Channel channel) {
    this.id = id;
    this.others = List.copyOf(others);
    this.channel = channel;
  }

  private SnapshotServiceGrpc.SnapshotServiceBlockingStub stub() {
    return SnapshotServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public List<Integer> others() {
    return others;
  }

  @Override
  public long colour() {
    return -1;
  }

  @Override
  public void announce(long snapshot) {
    try {
      stub().mark(SnapshotId.newBuilder().setId(snapshot).build());
    } catch (StatusRuntimeException e) {
      // not reached now: its state, asked for, will say so; a message of the snapshot's colour
      // makes it record its state all the same
    }
  }

  @Override
  public Snapshots.State state(long snapshot, boolean finish) {
    try {
      SnapshotPart p =
          stub().state(StateRequest.newBuilder().setId(snapshot).setFinish(finish).build());
      return SnapshotServiceImpl.state(id, p);
    } catch (StatusRuntimeException e) {
      io.grpc.Status.Code code = e.getStatus().getCode();
      return Snapshots.State.unreachable(
          code
              + (code == io.grpc.Status.Code.UNAVAILABLE
                      || code == io.grpc.Status.Code.DEADLINE_EXCEEDED
                  ? ": paused, down or unreachable"
                  : e.getStatus().getDescription() == null
                      ? ""
                      : ": " + e.getStatus().getDescription()));
    }
  }
}
