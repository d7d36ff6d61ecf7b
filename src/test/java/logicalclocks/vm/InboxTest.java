package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboxTest {
  @Test
  void fifoBoundedDeduplicatedAndClosable() {
    Inbox in = new Inbox(2);
    Message a = new Message(1, 1, 5, 0);
    Message b = new Message(1, 2, 6, 0);
    assertThat(in.offer(a)).isEqualTo(Inbox.Offer.ACCEPTED);
    assertThat(in.offer(a)).as("exact retry").isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.offer(new Message(1, 1, 99, 0)))
        .as("same id, other clock")
        .isEqualTo(Inbox.Offer.CONFLICT);
    assertThat(in.offer(b)).isEqualTo(Inbox.Offer.ACCEPTED);
    assertThat(in.offer(new Message(2, 1, 1, 0))).isEqualTo(Inbox.Offer.FULL);
    assertThat(in.offer(b))
        .as("a retry is a duplicate even when the queue is full")
        .isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.size()).isEqualTo(2);
    assertThat(in.poll()).isEqualTo(a);
    assertThat(in.offer(a))
        .as("still a duplicate after it was taken")
        .isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.close()).as("what is left, named").containsExactly(b);
    assertThat(in.offer(new Message(2, 2, 1, 0))).isEqualTo(Inbox.Offer.CLOSED);
    assertThat(in.offer(a))
        .as("a retry is a duplicate even after the inbox closed")
        .isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.offer(new Message(1, 1, 98, 0)))
        .as("and a conflict stays a conflict")
        .isEqualTo(Inbox.Offer.CONFLICT);
    assertThat(in.poll()).isEqualTo(b);
    assertThat(in.poll()).isNull();
  }

  @Test
  void idsAreForgottenAfterTheHorizonSoMemoryStaysBounded() {
    long[] now = {1_000_000};
    Inbox in = new Inbox(1000, () -> now[0]);
    for (int i = 1; i <= 100; i++) {
      in.offer(new Message(1, i, i, now[0]));
      in.poll();
      now[0] += 1000;
    }
    assertThat(in.remembered()).as("ids of the last 120 s").isEqualTo(100);
    now[0] += Inbox.DEDUP_HORIZON_MS;
    in.offer(new Message(2, 1, 1, now[0]));
    assertThat(in.remembered()).isEqualTo(1);
    assertThat(in.isTooOld(now[0] - Inbox.DEDUP_HORIZON_MS)).isTrue();
    assertThat(in.isTooOld(now[0] - 5_000)).isFalse();
  }
}
