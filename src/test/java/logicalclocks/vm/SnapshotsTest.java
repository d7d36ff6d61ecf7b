package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import logicalclocks.clock.VirtualClock;
import logicalclocks.log.EventLogFormat;
import org.junit.jupiter.api.Test;

/**
 * The snapshot algorithm on VMs driven step by step, messages handed over by the test: a message
 * sent after its sender's cut makes its receiver record its state before taking it in; one sent
 * before the cut that arrives after the receiver's is recorded in the channel; a VM that never
 * steps (paused) fails the snapshot, saying which VM and after how long.
 */
class SnapshotsTest {
  final VirtualClock wall = new VirtualClock(Instant.parse("2026-12-07T10:00:00.000Z"));
  final List<VirtualMachineTest.FakeTransport> transports = new ArrayList<>();
  final List<List<String>> lines = new ArrayList<>();
  final List<VirtualMachine> vms = new ArrayList<>();
  final List<Snapshots.Record> records = new ArrayList<>();

  SnapshotsTest() {
    int[][] rolls = {{2, 1, 9, 9, 9}, {9, 9, 9, 9, 9}, {1, 9, 9, 9, 9}};
    for (int id = 0; id < 3; id++) {
      List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
      others.remove(Integer.valueOf(id));
      VirtualMachineTest.FakeTransport t = new VirtualMachineTest.FakeTransport();
      List<String> out = new ArrayList<>();
      transports.add(t);
      lines.add(out);
      vms.add(
          new VirtualMachine(
              new VirtualMachine.Setup(id, others, 4, 10, 99),
              VirtualMachineTest.scripted(rolls[id]),
              wall,
              t,
              e -> out.add(EventLogFormat.format(e)),
              new Inbox(100)));
    }
    vms.forEach(VirtualMachine::start);
  }

  /** Hands VM {@code from}'s k-th send to its receiver and acknowledges it. */
  void deliver(int from, int k) {
    VirtualMachineTest.FakeTransport.Sent s = transports.get(from).sent.get(k);
    assertThat(vms.get(s.to()).inbox().offer(s.message())).isEqualTo(Inbox.Offer.ACCEPTED);
    s.outcome().delivered();
  }

  @Test
  void aMessageFromAfterTheCutMakesItsReceiverCutFirstAndOneFromBeforeIsInTheChannel() {
    Snapshots snaps = new Snapshots(vms, records::add, 10_000_000_000L, 5_000_000_000L);
    // VM 2 sends 2-1 to VM 0 before any cut (white), still in flight
    vms.get(2).step();
    assertThat(snaps.begin(0)).isEqualTo(1);
    // VM 0 records its state, then sends 0-1 to VM 2 (die 2: to its second peer), colour 1
    vms.get(0).step();
    assertThat(lines.get(0).get(1)).contains("event=SNAPSHOT clock=0 queue=0 snap=1");
    assertThat(transports.get(0).sent.get(0).message().snapshot()).isEqualTo(1);
    // the white 2-1 reaches VM 0 after its cut: in transit at the cut
    deliver(2, 0);
    // the red 0-1 reaches VM 2 before any marker: VM 2 records its state before taking it in
    deliver(0, 0);
    vms.get(2).step();
    assertThat(lines.get(2).get(2)).contains("event=SNAPSHOT clock=1 queue=1 snap=1");
    assertThat(lines.get(2).get(3)).contains("event=RECEIVE").contains("msg=0-1");
    snaps.poll(1_000_000_000L);
    assertThat(records).isEmpty(); // VM 1 has not recorded its state
    snaps.poll(5_000_000_000L); // the markers: VM 1 records at its next step
    vms.get(1).step();
    snaps.poll(5_100_000_000L);
    assertThat(records).hasSize(1);
    Snapshots.Record r = records.get(0);
    assertThat(r.complete()).isTrue();
    assertThat(r.vms()).extracting(Snapshots.VmState::events).containsExactly(0L, 0L, 1L);
    assertThat(r.vms().get(0).channels()).isEqualTo(Map.of(1, List.of(), 2, List.of("2-1")));
    assertThat(r.vms().get(2).queue()).as("0-1 came after the cut").isEmpty();
  }

  @Test
  void aPausedVmFailsTheSnapshotSayingWhichAndAfterHowLong() {
    Snapshots snaps = new Snapshots(vms, records::add, 10_000_000_000L, 200_000_000L);
    snaps.begin(0);
    vms.get(0).step();
    snaps.poll(300_000_000L);
    vms.get(2).step(); // VM 1 never steps: paused
    snaps.poll(9_000_000_000L);
    assertThat(records).isEmpty();
    snaps.poll(10_000_000_000L);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).complete()).isFalse();
    assertThat(records.get(0).reason())
        .isEqualTo(
            "vm 1 recorded no state (paused, stopped, or not ticking), 10000 ms after it began"
                + " (its timeout: 10000 ms)");
    assertThat(records.get(0).vms()).extracting(Snapshots.VmState::vm).containsExactly(0, 2);
    assertThat(snaps.begin(10_000_000_001L)).as("the next one may begin").isEqualTo(2);
  }

  @Test
  void unsettledMessagesSentInsideTheCutHoldTheSnapshotOpen() {
    Snapshots snaps = new Snapshots(vms, records::add, 10_000_000_000L, 0);
    vms.get(2).step(); // 2-1 to VM 0, not yet delivered
    snaps.begin(0);
    snaps.poll(0);
    vms.forEach(VirtualMachine::step);
    snaps.poll(1);
    assertThat(records).as("2-1 may still arrive").isEmpty();
    deliver(2, 0);
    snaps.poll(2);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).vms().get(0).channels().get(2)).containsExactly("2-1");
  }
}
