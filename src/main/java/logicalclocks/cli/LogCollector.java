package logicalclocks.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import logicalclocks.config.HostPort;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.transport.proto.LogEnd;

/**
 * Downloads a VM's event log through its {@code Events} RPC into {@code machine_<id>.log}, byte for
 * byte: written beside the target and moved over it once complete, so a failed download never
 * leaves a partial log that looks whole.
 */
public final class LogCollector {
  private LogCollector() {}

  /**
   * What was downloaded, and how the VM said its log ended ({@link LogEnd#LOG_END_UNSPECIFIED} when
   * it did not say).
   */
  public record Collected(Path file, long lines, long bytes, LogEnd end) {}

  /** A VM that answered with another VM's log, or could not be read. */
  public static final class CollectException extends Exception {
    public CollectException(String message) {
      super(message);
    }
  }

  /**
   * @param vm the id the VM at {@code peer} must have (its index in PEERS)
   * @param follow true to wait for the VM's run to end (every line until STOP); false for what is
   *     written now
   */
  public static Collected collect(Network network, HostPort peer, int vm, Path dir, boolean follow)
      throws IOException, CollectException, InterruptedException {
    Download d = new Download(dir, vm);
    try {
      d.fetch(network, peer, follow);
    } catch (CollectException | IOException | RuntimeException e) {
      d.discard();
      throw e;
    }
    return d.complete();
  }

  /**
   * One VM's log, downloaded over one or more calls: each {@link #fetch} asks for the line after
   * the last one it has (a VM stopped by a signal and restarted goes on in the same log), appending
   * to {@code machine_<id>.log.part}; {@link #complete} moves it into place.
   */
  public static final class Download {
    private final int vm;
    private final Path file;
    private final Path partial;
    private long lines;
    private long bytes;
    private LogEnd end = LogEnd.LOG_END_UNSPECIFIED;

    public Download(Path dir, int vm) {
      this.vm = vm;
      this.file = dir.resolve(EventLogFormat.fileName(vm));
      this.partial = dir.resolve(EventLogFormat.fileName(vm) + ".part");
    }

    /** Lines downloaded so far. */
    public long lines() {
      return lines;
    }

    /** How the VM said its log ended, at the end of the last call. */
    public LogEnd end() {
      return end;
    }

    /**
     * One call, from the next line: the lines it gets are kept even when it breaks.
     *
     * @return how the VM says its log ended (UNSPECIFIED when it did not say)
     */
    public LogEnd fetch(Network network, HostPort peer, boolean follow)
        throws IOException, CollectException, InterruptedException {
      end = LogEnd.LOG_END_UNSPECIFIED;
      ManagedChannel channel = network.channel(peer);
      try (OutputStream out =
          lines == 0
              ? Files.newOutputStream(partial)
              : Files.newOutputStream(partial, StandardOpenOption.APPEND)) {
        Iterator<EventLine> it =
            EventLogServiceGrpc.newBlockingStub(channel)
                .events(
                    EventsRequest.newBuilder()
                        .setFromLine(lines + 1)
                        .setFromOffset(bytes) // byte for byte: where line lines + 1 starts
                        .setFollow(follow)
                        .build());
        while (it.hasNext()) {
          EventLine line = it.next();
          if (line.getVm() != vm) {
            throw new CollectException(
                peer + " (PEERS entry " + vm + ") serves the log of VM " + line.getVm());
          }
          if (line.getEnd() != LogEnd.LOG_END_UNSPECIFIED) {
            end = line.getEnd();
            continue;
          }
          line.getText().writeTo(out);
          lines++;
          bytes += line.getText().size();
        }
      } catch (StatusRuntimeException e) {
        throw new CollectException(
            "VM " + vm + " (" + peer + "): " + e.getStatus().getCode() + " " + describe(e));
      } finally {
        network.release(channel);
      }
      return end;
    }

    /** Moves what was downloaded into place as {@code machine_<id>.log}. */
    public Collected complete() throws IOException {
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Collected(file, lines, bytes, end);
    }

    /** Deletes what was downloaded. */
    public void discard() throws IOException {
      Files.deleteIfExists(partial);
    }
  }

  private static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    Throwable cause = e.getCause();
    return d != null ? d : cause != null ? cause.getMessage() : "";
  }
}
