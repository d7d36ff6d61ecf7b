package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import logicalclocks.log.InboxJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery of a VM's queue: journal before ack, restore what was never received, remember every id. */
class InboxJournalTest {
  @TempDir Path dir;

  @Test
  void acceptedMessagesSurviveACrashAndAreTakenOnce() throws Exception {
    Inbox before = new Inbox(10);
    try (InboxJournal journal = new InboxJournal(dir, 2)) {
      before.journalTo(journal);
      before.offer(new Message(0, 1, 5, 100));
      before.offer(new Message(1, 1, 7, 200));
      before.offer(new Message(0, 2, 9, 300));
      before.offer(new Message(0, 2, 9, 300));
      assertThat(before.offer(new Message(0, 1, 99, 1))).as("a refused message is not journaled")
          .isEqualTo(Inbox.Offer.CONFLICT);
    }
    // The process dies mid-write of a fourth line.
    Files.writeString(InboxJournal.file(dir, 2), "1 2 3", java.nio.file.StandardOpenOption.APPEND);
    List<Message> journaled = InboxJournal.read(InboxJournal.file(dir, 2));
    assertThat(journaled).extracting(Message::id).containsExactly("0-1", "1-1", "0-2");

    Inbox after = new Inbox(10);
    after.restore(journaled, java.util.Map.of("0-1", 5L));
    assertThat(after.size()).as("0-1 was RECEIVEd before the crash").isEqualTo(2);
    assertThat(after.poll()).isEqualTo(new Message(1, 1, 7, 200));
    assertThat(after.offer(new Message(0, 1, 5, 100))).as("a retry of a received message").isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(after.offer(new Message(0, 2, 9, 300))).as("a retry of a queued one").isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(after.size()).isEqualTo(1);
  }

  @Test
  void aMalformedJournalIsAnError() throws Exception {
    Files.writeString(InboxJournal.file(dir, 0), "0 x 1 2\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InboxJournal.read(InboxJournal.file(dir, 0)))
        .hasMessageContaining("malformed journal line '0 x 1 2'");
    assertThat(InboxJournal.read(dir.resolve("none.inbox"))).isEmpty();
  }
}
