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

  /**
   * Memory is bounded by what a sender can still re-send: ids below the floor it states are
   * forgotten (and answered as duplicates), whatever time passes; no clock is read.
   */
  @Test
  void idsBelowTheSendersFloorAreForgottenSoMemoryStaysBounded() {
    Inbox in = new Inbox(1000);
    for (int i = 1; i <= 100; i++) {
      in.offer(new Message(1, i, i, 0, null, Math.max(1, i - 10)));
      in.poll();
    }
    assertThat(in.remembered()).as("ids at or above the floor 90").isEqualTo(11);
    assertThat(in.offer(new Message(1, 5, 5, 0))).isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.held(1, java.util.List.of(5L, 95L, 101L))).containsExactly(5L, 95L);
    assertThat(in.floors()).containsEntry(1, 90L);
  }

  /**
   * Finding 3, a long outage: an id taken before is still a duplicate when it comes again 10
   * minutes later (the earlier inbox forgot ids after 120 s and took the message twice).
   */
  @Test
  void anIdIsRememberedUntilItsSenderSettlesIt() {
    long[] now = {1_000_000};
    Inbox in = new Inbox(10);
    Message m = new Message(1, 7, 3, now[0], null, 7);
    assertThat(in.offer(m)).isEqualTo(Inbox.Offer.ACCEPTED);
    in.poll();
    now[0] += 600_000;
    in.offer(new Message(2, 1, 1, now[0])); // another sender's message, 10 minutes on
    assertThat(in.offer(m)).as("however late").isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.size()).isEqualTo(1);
  }

  @Test
  void aRefusedIdIsRefusedAgainNeverTakenLater() {
    Inbox in = new Inbox(1);
    assertThat(in.offer(new Message(1, 1, 5, 0))).isEqualTo(Inbox.Offer.ACCEPTED);
    Message refused = new Message(1, 2, 6, 0);
    assertThat(in.offer(refused)).isEqualTo(Inbox.Offer.FULL);
    in.poll(); // room again
    assertThat(in.offer(refused))
        .as("a second copy (a network duplicate) of a message refused as full: refused again")
        .isEqualTo(Inbox.Offer.FULL);
    Message byRate = new Message(1, 3, 7, 0);
    assertThat(in.offer(byRate, () -> false)).isEqualTo(Inbox.Offer.REFUSED);
    assertThat(in.offer(byRate)).isEqualTo(Inbox.Offer.REFUSED);
    in.poll();
    Message late = new Message(1, 5, 9, 0);
    assertThat(in.offer(late, () -> false, () -> false))
        .as("an ambiguous refusal (the sender logs deadline)")
        .isEqualTo(Inbox.Offer.REFUSED);
    assertThat(in.offer(late))
        .as("is not remembered: a later copy may be taken")
        .isEqualTo(Inbox.Offer.ACCEPTED);
    in.poll();
    // once the sender has settled them (its floor passes them), they are forgotten
    assertThat(in.offer(new Message(1, 4, 8, 0).withSettledBelow(4)))
        .isEqualTo(Inbox.Offer.ACCEPTED);
    assertThat(in.offer(refused)).as("below the floor").isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(in.held(1, java.util.List.of(2L, 3L, 4L))).containsExactly(2L, 3L, 4L);
  }
}
