package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import logicalclocks.config.HostPort;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;

/**
 * Downloads a VM's event log through its {@code Events} RPC into {@code machine_<id>.log}, byte for
 * byte: written beside the target and moved over it once complete, so a failed download never
 * leaves a partial log that looks whole.
 */
public final class LogCollector {
  private LogCollector() {}

  /** What was downloaded. */
  public record Collected(Path file, long lines, long bytes) {}

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
    Path file = dir.resolve(EventLogFormat.fileName(vm));
    Path partial = dir.resolve(EventLogFormat.fileName(vm) + ".part");
    ManagedChannel channel = network.channel(peer);
    long lines = 0;
    long bytes = 0;
    try (OutputStream out = Files.newOutputStream(partial)) {
      Iterator<EventLine> it =
          EventLogServiceGrpc.newBlockingStub(channel)
              .events(EventsRequest.newBuilder().setFromLine(1).setFollow(follow).build());
      while (it.hasNext()) {
        EventLine line = it.next();
        if (line.getVm() != vm) {
          throw new CollectException(
              peer + " (PEERS entry " + vm + ") serves the log of VM " + line.getVm());
        }
        line.getText().writeTo(out);
        lines++;
        bytes += line.getText().size();
      }
    } catch (StatusRuntimeException e) {
      Files.deleteIfExists(partial);
      throw new CollectException(
          "VM " + vm + " (" + peer + "): " + e.getStatus().getCode() + " " + describe(e));
    } catch (CollectException | IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    } finally {
      network.release(channel);
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Collected(file, lines, bytes);
  }

  private static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    Throwable cause = e.getCause();
    return d != null ? d : cause != null ? cause.getMessage() : "";
  }
}
