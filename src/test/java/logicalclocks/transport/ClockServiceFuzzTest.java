package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import logicalclocks.clock.LamportClock;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the receiving side, {@link ClockServiceImpl#handle}, with a run of messages: parsed from
 * fuzzed bytes (any wire input a client can send) or built from fuzzed fields, between which the VM
 * takes messages from its queue or stops. Handling never throws; every Ack names the message's
 * sequence and a real status code; the queue grows by exactly the messages acknowledged as new, no
 * id is taken twice, and every message in the queue is well formed (a sender other than this VM, a
 * sequence >= 1, clocks within 0 .. 2^53 - 1).
 */
class ClockServiceFuzzTest {
  static {
    // A refusal is logged once per service and kind; a new service per input would log hundreds
    // of thousands of lines.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ClockServiceImpl.class))
        .setLevel(Level.ERROR);
  }

  @FuzzTest(maxDuration = "5s")
  void handle(FuzzedDataProvider data) {
    int machines = data.consumeInt(2, 6);
    int self = data.consumeInt(0, machines - 1);
    Inbox inbox = new Inbox(data.consumeInt(1, 8));
    long[] now = {0};
    int rate = data.consumeBoolean() ? Integer.MAX_VALUE : data.consumeInt(1, 5);
    ClockServiceImpl service =
        new ClockServiceImpl(self, machines, inbox, rate, null, () -> now[0]);
    Set<String> taken = new HashSet<>();
    List<Message> queued = new ArrayList<>();
    int steps = data.consumeInt(1, 32);
    for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
      switch (data.consumeInt(0, 9)) {
        case 0 -> {
          Message m = inbox.poll();
          if (m != null) {
            Message first = queued.remove(0);
            assertThat(m.id()).isEqualTo(first.id());
            assertThat(m.clock()).isEqualTo(first.clock());
          }
        }
        case 1 -> inbox.close();
        case 2 -> now[0] += data.consumeLong(0, 2_000_000_000L);
        default -> {
          ClockMessage req = message(data, machines);
          if (req == null) {
            continue;
          }
          int before = inbox.size();
          Ack ack = service.handle(req);
          assertThat(ack.getSequence()).isEqualTo(req.getSequence());
          assertThat(Status.fromCodeValue(ack.getCode()).getCode().value())
              .as("a real status code")
              .isEqualTo(ack.getCode());
          boolean accepted = ack.getCode() == 0 && !ack.getDuplicate();
          assertThat(inbox.size()).isEqualTo(before + (accepted ? 1 : 0));
          if (ack.getCode() == 0) {
            assertThat(ack.getQueueLength()).isEqualTo(inbox.size());
          }
          if (accepted) {
            String id = req.getSenderId() + "-" + req.getSequence();
            assertThat(taken.add(id)).as("message %s taken twice", id).isTrue();
            queued.add(
                new Message(
                    req.getSenderId(),
                    req.getSequence(),
                    req.getLogicalClock(),
                    req.getSentUnixMillis(),
                    null,
                    req.getSettledBelow()));
          }
        }
      }
    }
    assertThat(inbox.size()).isEqualTo(queued.size()).isLessThanOrEqualTo(inbox.capacity());
    for (Message m = inbox.poll(); m != null; m = inbox.poll()) {
      assertThat(m.sender()).isBetween(0, machines - 1).isNotEqualTo(self);
      assertThat(m.sequence()).isPositive();
      assertThat(m.clock()).isBetween(0L, LamportClock.MAX - 1);
      if (m.vector() != null) {
        for (int vm = 0; vm < machines; vm++) {
          assertThat(m.vector().get(vm)).isBetween(0L, LamportClock.MAX - 1);
        }
        assertThat(m.vector().get(m.sender())).isPositive();
      }
    }
  }

  /**
   * A message from the wire (fuzzed bytes) or from fuzzed fields; null when the bytes do not parse.
   */
  private static ClockMessage message(FuzzedDataProvider data, int machines) {
    if (data.consumeBoolean()) {
      try {
        return ClockMessage.parseFrom(data.consumeBytes(data.consumeInt(0, 64)));
      } catch (InvalidProtocolBufferException e) {
        return null;
      }
    }
    ClockMessage.Builder b =
        ClockMessage.newBuilder()
            .setSenderId(data.consumeInt(-1, machines))
            .setSequence(data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, 8))
            .setLogicalClock(
                data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, LamportClock.MAX))
            .setSentUnixMillis(data.consumeLong())
            .setSettledBelow(data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, 8));
    int entries = data.consumeInt(0, 3);
    for (int i = 0; i < entries; i++) {
      b.putVectorClock(
          data.consumeInt(-1, machines),
          data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, 100));
    }
    return b.build();
  }
}
