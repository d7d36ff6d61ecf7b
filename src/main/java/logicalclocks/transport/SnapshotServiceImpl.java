package logicalclocks.transport;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import logicalclocks.clock.LamportClock;
import logicalclocks.transport.proto.MessageIdList;
import logicalclocks.transport.proto.SnapshotId;
import logicalclocks.transport.proto.SnapshotPart;
import logicalclocks.transport.proto.SnapshotServiceGrpc;
import logicalclocks.transport.proto.StateRequest;
import logicalclocks.transport.proto.TakeReply;
import logicalclocks.transport.proto.TakeRequest;
import logicalclocks.vm.Snapshots;
import logicalclocks.vm.VirtualMachine;

/**
 * A VM's side of distributed snapshots over gRPC: markers, its state for a snapshot, and, on the
 * initiator, taking one ({@code Take}). The VM may not tick yet (then it has recorded nothing).
 */
public final class SnapshotServiceImpl extends SnapshotServiceGrpc.SnapshotServiceImplBase {
  /** The longest a {@code Take} waits for its snapshot to end. */
  public static final Duration MAX_TAKE = Duration.ofMinutes(5);

  private final int self;
  private final Supplier<VirtualMachine> vm;
  private final Supplier<CompletableFuture<Snapshots.Record>> take;
  private final Function<Snapshots.Record, String> where;

  /**
   * @param self the VM's id
   * @param vm the VM, or null before it ticks
   * @param take begins a snapshot with this VM as the initiator (null: this VM cannot)
   * @param where where the initiator wrote a record
   */
  public SnapshotServiceImpl(
      int self,
      Supplier<VirtualMachine> vm,
      Supplier<CompletableFuture<Snapshots.Record>> take,
      Function<Snapshots.Record, String> where) {
    this.self = self;
    this.vm = vm;
    this.take = take;
    this.where = where;
  }

  /** Refuses {@code id} on {@code out} when it is no snapshot id; whether it did. */
  private static boolean refused(long id, StreamObserver<?> out) {
    if (id >= 1 && id < LamportClock.MAX) {
      return false;
    }
    out.onError(
        Status.INVALID_ARGUMENT
            .withDescription("snapshot id must be from 1 to 2^53 - 1, got " + id)
            .asRuntimeException());
    return true;
  }

  @Override
  public void mark(SnapshotId req, StreamObserver<SnapshotPart> out) {
    if (refused(req.getId(), out)) {
      return;
    }
    VirtualMachine v = vm.get();
    if (v == null) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription("this VM does not tick yet")
              .asRuntimeException());
      return;
    }
    v.inbox().announce(req.getId());
    out.onNext(part(v, v.snapshotState(req.getId(), false)));
    out.onCompleted();
  }

  @Override
  public void state(StateRequest req, StreamObserver<SnapshotPart> out) {
    if (refused(req.getId(), out)) {
      return;
    }
    VirtualMachine v = vm.get();
    if (v == null) {
      out.onNext(SnapshotPart.getDefaultInstance());
    } else {
      out.onNext(part(v, v.snapshotState(req.getId(), req.getFinish())));
    }
    out.onCompleted();
  }

  @Override
  public void take(TakeRequest req, StreamObserver<TakeReply> out) {
    if (take == null || vm.get() == null) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  take == null
                      ? "this is VM "
                          + self
                          + ": VM 0, the first of PEERS, initiates a cluster's snapshots"
                      : "VM 0 does not tick yet")
              .asRuntimeException());
      return;
    }
    int machines = vm.get().setup().others().size() + 1;
    if (req.getMachines() != 0 && req.getMachines() != machines) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "PEERS names " + req.getMachines() + " VMs, but this run has " + machines)
              .asRuntimeException());
      return;
    }
    try {
      Snapshots.Record r = take.get().get(MAX_TAKE.toMillis(), TimeUnit.MILLISECONDS);
      out.onNext(
          TakeReply.newBuilder()
              .setId(r.id())
              .setComplete(r.complete())
              .setReason(r.reason() == null ? "" : r.reason())
              .setPath(where.apply(r))
              .build());
      out.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      out.onError(
          Status.UNAVAILABLE
              .withDescription("no snapshot taken: " + cause.getMessage())
              .asRuntimeException());
    }
  }

  static SnapshotPart part(VirtualMachine v, Snapshots.State st) {
    SnapshotPart.Builder b = SnapshotPart.newBuilder().setColour(v.snapshotColour());
    if (st.lost() != null) {
      b.setLost(st.lost());
    }
    if (st.cut() != null) {
      b.setRecorded(true)
          .setSettled(st.settled())
          .setEvents(st.cut().events())
          .setClock(st.cut().clock())
          .setLastSequence(st.cut().lastSequence())
          .addAllQueue(st.cut().queue());
      st.channels()
          .forEach(
              (from, ids) ->
                  b.putChannels(from, MessageIdList.newBuilder().addAllIds(ids).build()));
    }
    return b.build();
  }

  /** The state a part says. */
  static Snapshots.State state(int vm, SnapshotPart p) {
    if (!p.getLost().isEmpty()) {
      return new Snapshots.State(null, false, Map.of(), p.getLost(), null);
    }
    if (!p.getRecorded()) {
      return new Snapshots.State(null, false, Map.of(), null, null);
    }
    Map<Integer, List<String>> channels = new java.util.TreeMap<>();
    p.getChannelsMap().forEach((from, ids) -> channels.put(from, List.copyOf(ids.getIdsList())));
    return new Snapshots.State(
        new Snapshots.Cut(vm, p.getEvents(), p.getClock(), p.getQueueList(), p.getLastSequence()),
        p.getSettled(),
        channels,
        null,
        null);
  }
}
