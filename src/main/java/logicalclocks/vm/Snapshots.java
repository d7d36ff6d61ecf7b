package logicalclocks.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Distributed snapshots of a running set of VMs, by Lai-Yang / Mattern colouring: every message
 * carries its sender's colour (the id of the last snapshot it recorded its state for, {@link
 * Message#snapshot}). A VM records its state for snapshot {@code k} between two ticks, when it is
 * told to (a marker: {@link Inbox#announce}) or, before it takes in a message of colour {@code k}
 * or more, whichever comes first; a message of a lower colour that reaches its queue after that was
 * in transit at the cut. No channel needs to be FIFO: the colour, not the order, says on which side
 * of the cut a message was sent, so a retry after a lost Ack, a reordered or duplicated copy and a
 * late delivery all land on the right side.
 *
 * <p>A snapshot is complete when every VM has recorded its state and every message any VM sent
 * inside the cut is settled at its sender (acknowledged: it reached a queue; or its DROP logged):
 * no more of them can arrive. It fails, with the reason, when that has not happened within its
 * timeout or the run ends first (a VM paused, killed or stopped): a snapshot is never written
 * incomplete as complete.
 *
 * <p>One snapshot at a time: the next begins after the last one ended, so no VM ever has two cuts
 * to take at once. Time is passed in ({@code nowNanos}): the simulation drives it in virtual time,
 * a local run in the host's. Thread-safe; the VMs' own state is read through their thread-safe
 * accessors.
 */
public final class Snapshots {
  /**
   * A VM's state at a snapshot's cut.
   *
   * @param vm the VM
   * @param events its SEND, RECEIVE and INTERNAL events before the cut
   * @param clock its Lamport clock at the cut
   * @param queue the messages in its queue sent inside the cut, oldest first
   * @param lastSequence the sequence of the last message it sent inside the cut
   */
  public record Cut(int vm, long events, long clock, List<String> queue, long lastSequence) {
    public Cut {
      queue = List.copyOf(queue);
    }
  }

  /**
   * One VM's part of a snapshot's record.
   *
   * @param channels per other VM, the messages it sent inside the cut that reached this VM's queue
   *     after this VM's cut (in transit at the cut), in the order they arrived
   */
  public record VmState(
      int vm, long events, long clock, List<String> queue, Map<Integer, List<String>> channels) {}

  /**
   * A snapshot's record ({@code <log dir>/snapshots/<id>.json}).
   *
   * @param reason why it failed (null when complete)
   * @param vms the state of each VM that recorded one, by id
   */
  public record Record(long id, boolean complete, String reason, List<VmState> vms) {}

  /** Default: a snapshot not complete after this long fails. */
  public static final long DEFAULT_TIMEOUT_NANOS = 10_000_000_000L;

  /** Default: markers reach the VMs other than the initiator this long after it records. */
  public static final long DEFAULT_MARKER_DELAY_NANOS = 200_000_000L;

  private final List<VirtualMachine> vms;
  private final Consumer<Record> sink;
  private final long timeoutNanos;
  private final long markerDelayNanos;
  private long last;
  private long current; // 0: none under way
  private long began;
  private boolean marked;

  /**
   * @param vms the VMs, by id; VM 0 initiates
   * @param sink where each snapshot's record goes when it ends, complete or failed
   */
  public Snapshots(
      List<VirtualMachine> vms, Consumer<Record> sink, long timeoutNanos, long markerDelayNanos) {
    this.vms = List.copyOf(vms);
    this.sink = sink;
    this.timeoutNanos = timeoutNanos;
    this.markerDelayNanos = markerDelayNanos;
  }

  /**
   * Begins the next snapshot (VM 0 records its state at its next step), unless one is under way.
   *
   * @return its id, or 0 when one is under way
   */
  public synchronized long begin(long nowNanos) {
    if (current != 0) {
      return 0;
    }
    current = ++last;
    began = nowNanos;
    marked = false;
    vms.get(0).inbox().announce(current);
    return current;
  }

  /** Whether a snapshot is under way. */
  public synchronized boolean underWay() {
    return current != 0;
  }

  /**
   * Moves the snapshot under way on: sends the markers when their time has come, writes its record
   * when it is complete, fails it when its time is up.
   */
  public synchronized void poll(long nowNanos) {
    if (current == 0) {
      return;
    }
    if (!marked && nowNanos - began >= markerDelayNanos) {
      marked = true;
      for (VirtualMachine vm : vms.subList(1, vms.size())) {
        vm.inbox().announce(current);
      }
    }
    String missing = missing();
    if (missing == null) {
      finish(true, null);
    } else if (nowNanos - began >= timeoutNanos) {
      finish(false, missing + " within " + timeoutNanos / 1_000_000 + " ms");
    }
  }

  /** The run is ending: the snapshot under way completes if it can, else fails saying so. */
  public synchronized void end(String why) {
    if (current == 0) {
      return;
    }
    String missing = missing();
    if (missing == null) {
      finish(true, null);
    } else {
      finish(false, why + " before it completed: " + missing);
    }
  }

  /** What the snapshot under way still waits for, or null when nothing. */
  private String missing() {
    List<Integer> unrecorded = new ArrayList<>();
    List<Integer> unsettled = new ArrayList<>();
    for (VirtualMachine vm : vms) {
      if (vm.cutOf(current) == null) {
        unrecorded.add(vm.id());
      } else if (!vm.settledInside(current)) {
        unsettled.add(vm.id());
      }
    }
    if (!unrecorded.isEmpty()) {
      return names(unrecorded) + " recorded no state (paused, stopped, or not ticking)";
    }
    if (!unsettled.isEmpty()) {
      return "the messages "
          + names(unsettled)
          + " sent inside the cut were not all delivered or dropped";
    }
    return null;
  }

  private static String names(List<Integer> ids) {
    StringBuilder b = new StringBuilder(ids.size() == 1 ? "vm " : "vms ");
    for (int i = 0; i < ids.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(ids.get(i));
    }
    return b.toString();
  }

  private void finish(boolean complete, String reason) {
    List<VmState> states = new ArrayList<>();
    for (VirtualMachine vm : vms) {
      Map<Integer, List<String>> channels = vm.inbox().endRecording(current);
      Cut c = vm.cutOf(current);
      if (c == null) {
        continue;
      }
      Map<Integer, List<String>> all = new TreeMap<>();
      for (int other : vm.setup().others()) {
        all.put(other, List.copyOf(channels.getOrDefault(other, List.of())));
      }
      states.add(new VmState(vm.id(), c.events(), c.clock(), c.queue(), all));
      vm.forgetCut(current);
    }
    Record r = new Record(current, complete, reason, List.copyOf(states));
    current = 0;
    sink.accept(r);
  }
}
