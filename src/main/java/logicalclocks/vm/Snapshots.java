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

  /** One VM as a snapshot sees it: in this process ({@link #local}) or reached over the network. */
  public interface Member {
    /** Its id. */
    int id();

    /** The other VMs' ids. */
    List<Integer> others();

    /** Its snapshot colour now (the last snapshot it recorded its state for), or -1 unknown. */
    long colour();

    /** A marker: snapshot {@code id} has begun. */
    void announce(long id);

    /**
     * Its state for snapshot {@code id} so far; with {@code finish}, its channels too, and it stops
     * recording them and forgets the snapshot.
     */
    State state(long id, boolean finish);
  }

  /**
   * What a member says of a snapshot.
   *
   * @param cut its state at the cut, or null when not recorded (yet)
   * @param settled whether every message it sent inside the cut is settled
   * @param channels (when finishing) per other VM, the messages in transit towards it at the cut
   * @param lost why it can no longer give its state (it restarted after recording it), or null
   * @param unreachable why it did not answer (for now), or null
   */
  public record State(
      Cut cut,
      boolean settled,
      Map<Integer, List<String>> channels,
      String lost,
      String unreachable) {
    public static State unreachable(String why) {
      return new State(null, false, Map.of(), null, why);
    }
  }

  /** A VM of this process as a member. */
  public static Member local(VirtualMachine vm) {
    return new Member() {
      @Override
      public int id() {
        return vm.id();
      }

      @Override
      public List<Integer> others() {
        return vm.setup().others();
      }

      @Override
      public long colour() {
        return vm.snapshotColour();
      }

      @Override
      public void announce(long id) {
        vm.inbox().announce(id);
      }

      @Override
      public State state(long id, boolean finish) {
        return vm.snapshotState(id, finish);
      }
    };
  }

  /** Default: a snapshot not complete after this long fails. */
  public static final long DEFAULT_TIMEOUT_NANOS = 10_000_000_000L;

  /** Default: markers reach the VMs other than the initiator this long after it records. */
  public static final long DEFAULT_MARKER_DELAY_NANOS = 200_000_000L;

  private final List<Member> vms;
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
    this(vms.stream().map(Snapshots::local).toList(), timeoutNanos, markerDelayNanos, sink);
  }

  /**
   * Snapshots of {@code members}, by id; the first initiates, its ids following the highest colour
   * it already has (a restarted initiator goes on from its log's).
   */
  public static Snapshots of(
      List<Member> members, Consumer<Record> sink, long timeoutNanos, long markerDelayNanos) {
    return new Snapshots(members, timeoutNanos, markerDelayNanos, sink);
  }

  private Snapshots(
      List<Member> members, long timeoutNanos, long markerDelayNanos, Consumer<Record> sink) {
    this.vms = List.copyOf(members);
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
    current = Math.max(last, vms.get(0).colour()) + 1;
    last = current;
    began = nowNanos;
    marked = false;
    vms.get(0).announce(current);
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
      for (Member vm : vms.subList(1, vms.size())) {
        vm.announce(current);
      }
    }
    Wait missing = missing();
    if (missing == null) {
      finish(true, null);
    } else if (missing.definite()) {
      finish(false, missing.why());
    } else if (nowNanos - began >= timeoutNanos) {
      finish(
          false,
          missing.why()
              + ", "
              + (nowNanos - began) / 1_000_000
              + " ms after it began (its timeout: "
              + timeoutNanos / 1_000_000
              + " ms)");
    }
  }

  /** The run is ending: the snapshot under way completes if it can, else fails saying so. */
  public synchronized void end(String why) {
    if (current == 0) {
      return;
    }
    Wait missing = missing();
    if (missing == null) {
      finish(true, null);
    } else {
      finish(false, why + " before it completed: " + missing.why());
    }
  }

  /**
   * What the snapshot under way still waits for.
   *
   * @param definite whether it can never come (a VM lost its state): the snapshot fails at once
   */
  private record Wait(String why, boolean definite) {}

  /** What the snapshot under way still waits for, or null when nothing. */
  private Wait missing() {
    List<Integer> unrecorded = new ArrayList<>();
    List<Integer> unsettled = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    for (Member vm : vms) {
      State st = vm.state(current, false);
      if (st.lost() != null) {
        return new Wait("vm " + vm.id() + " " + st.lost(), true);
      } else if (st.unreachable() != null) {
        unreachable.add("vm " + vm.id() + " did not answer (" + st.unreachable() + ")");
      } else if (st.cut() == null) {
        unrecorded.add(vm.id());
        if (marked) {
          vm.announce(current); // again: a marker may have been lost (a VM restarting, unreachable)
        }
      } else if (!st.settled()) {
        unsettled.add(vm.id());
      }
    }
    if (!unreachable.isEmpty()) {
      return new Wait(String.join("; ", unreachable), false);
    }
    if (!unrecorded.isEmpty()) {
      return new Wait(
          names(unrecorded) + " recorded no state (paused, stopped, or not ticking)", false);
    }
    if (!unsettled.isEmpty()) {
      return new Wait(
          "the messages "
              + names(unsettled)
              + " sent inside the cut were not all delivered or"
              + " dropped",
          false);
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
    for (Member vm : vms) {
      State st = vm.state(current, true);
      if (st.cut() == null) {
        if (complete) { // it answered a moment ago: its state is gone now
          complete = false;
          reason =
              "vm " + vm.id() + " did not give its state at the end (" + st.unreachable() + ")";
        }
        continue;
      }
      Map<Integer, List<String>> all = new TreeMap<>();
      for (int other : vm.others()) {
        all.put(other, List.copyOf(st.channels().getOrDefault(other, List.of())));
      }
      Cut c = st.cut();
      states.add(new VmState(vm.id(), c.events(), c.clock(), c.queue(), all));
    }
    Record r = new Record(current, complete, reason, List.copyOf(states));
    current = 0;
    sink.accept(r);
  }
}
