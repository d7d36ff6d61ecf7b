package logicalclocks.transport;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how many calls of each kind a VM's server runs at once, over all clients (grpc-java has no
 * connection limit; its maintainers advise an interceptor that limits concurrent calls per method:
 * grpc/grpc-java#1886). A call beyond its kind's limit is closed at once with RESOURCE_EXHAUSTED,
 * before it reaches a service (so it never touches a clock, a queue or a file), and logged as one
 * WARN per client and kind (then at debug). Calls per connection are bounded apart, by the server's
 * HTTP/2 MAX_CONCURRENT_STREAMS ({@link Limits#CALLS_PER_CONNECTION}).
 */
public final class CallLimits implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(CallLimits.class);

  /** The limits a VM's server runs with, in one place (docs/reliability.md, "Limits"). */
  public static final class Limits {
    private Limits() {}

    /** Concurrent calls on one connection (HTTP/2 MAX_CONCURRENT_STREAMS). */
    public static final int CALLS_PER_CONNECTION = 16;

    /**
     * Concurrent calls on one connection when the {@code machines} VMs of one process share it
     * ({@link SharedChannels}): each of them holds a clock stream to the peer (two while one
     * reconnects), plus room for unary calls; at least {@link #CALLS_PER_CONNECTION}.
     */
    public static int sharedCallsPerConnection(int machines) {
      return Math.max(CALLS_PER_CONNECTION, 2 * machines + CALLS_PER_CONNECTION);
    }

    /** Concurrent {@code Events} streams (log followers: watch, collect, the report Job). */
    public static final int EVENTS_STREAMS = 8;

    /**
     * Concurrent {@code Events} streams from one client address: a single client that holds its
     * streams open without reading cannot lock every other follower out.
     */
    public static final int EVENTS_STREAMS_PER_CLIENT = 4;

    /** Concurrent clock {@code Stream}s from one sender id (one per peer, plus a reconnect). */
    public static final int CLOCK_STREAMS_PER_SENDER = 4;

    /** Concurrent server-reflection streams (grpcurl), over all clients. */
    public static final int REFLECTION_CALLS = 4;

    /** Concurrent unary calls ({@code Deliver}, {@code Hello}) over all clients. */
    public static final int UNARY_CALLS = 64;

    /** Concurrent health calls ({@code Check}, {@code Watch}) over all clients. */
    public static final int HEALTH_CALLS = 32;

    /** Largest request metadata (headers) a client may send. */
    public static final int METADATA_BYTES = 8 * 1024;

    /** HTTP/2 flow-control window of a stream: what a silent reader can make either side hold. */
    public static final int FLOW_CONTROL_WINDOW = 64 * 1024;

    /**
     * Concurrent clock {@code Stream}s from one client address in a run of {@code machines} VMs (a
     * whole {@code local} run shares 127.0.0.1); over all clients they are not capped, so no client
     * can take every slot from the real senders.
     */
    public static int clockStreamsPerClient(int machines) {
      return CLOCK_STREAMS_PER_SENDER * machines + 8;
    }
  }

  /** At most {@code total} calls of a kind at once, and at most {@code perClient} per address. */
  public record Limit(int total, int perClient) {}

  private final int self;
  private final Map<String, Limit> limits;
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> activeByClient = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> warned = new ConcurrentHashMap<>();

  /**
   * @param self the VM's id (for its log lines)
   * @param limits full method name, or service name, -> its limit; a method not named (and whose
   *     service is not named) is not limited
   */
  public CallLimits(int self, Map<String, Limit> limits) {
    this.self = self;
    this.limits = Map.copyOf(limits);
  }

  /** The limits of a VM in a run of {@code machines} VMs. */
  public static CallLimits forVm(int self, int machines) {
    return new CallLimits(
        self,
        Map.of(
            "logicalclocks.v1.EventLogService/Events",
            new Limit(Limits.EVENTS_STREAMS, Limits.EVENTS_STREAMS_PER_CLIENT),
            "logicalclocks.v1.ClockService/Stream",
            new Limit(Integer.MAX_VALUE, Limits.clockStreamsPerClient(machines)),
            "logicalclocks.v1.ClockService/Deliver",
            new Limit(Limits.UNARY_CALLS, Limits.UNARY_CALLS),
            "logicalclocks.v1.ClockService/Hello",
            new Limit(Limits.UNARY_CALLS, Limits.UNARY_CALLS),
            "logicalclocks.v1.SnapshotService",
            new Limit(Limits.UNARY_CALLS, Limits.UNARY_CALLS),
            "grpc.health.v1.Health",
            new Limit(Limits.HEALTH_CALLS, Limits.HEALTH_CALLS),
            "grpc.reflection.v1.ServerReflection",
            new Limit(Limits.REFLECTION_CALLS, Limits.REFLECTION_CALLS)));
  }

  /** Calls of {@code method} (full name) running now. */
  public int active(String method) {
    AtomicInteger n = active.get(key(method));
    return n == null ? 0 : n.get();
  }

  private String key(String method) {
    if (limits.containsKey(method)) {
      return method;
    }
    int slash = method.indexOf('/');
    String service = slash < 0 ? method : method.substring(0, slash);
    return limits.containsKey(service) ? service : null;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String key = key(call.getMethodDescriptor().getFullMethodName());
    if (key == null) {
      return next.startCall(call, headers);
    }
    String client = client(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    AtomicInteger n = active.computeIfAbsent(key, k -> new AtomicInteger());
    AtomicInteger mine =
        activeByClient.computeIfAbsent(key + "|" + client, k -> new AtomicInteger());
    Limit limit = limits.get(key);
    int total = n.incrementAndGet();
    int own = mine.incrementAndGet();
    if (total > limit.total() || own > limit.perClient()) {
      n.decrementAndGet();
      mine.decrementAndGet();
      String which =
          total > limit.total() ? limit.total() + " in all" : limit.perClient() + " from " + client;
      warnOnce(client, key, which);
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "VM " + self + " already runs " + which + " " + key + " calls (its limit)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean done = new AtomicBoolean();
    Runnable release =
        () -> {
          if (done.compareAndSet(false, true)) {
            n.decrementAndGet();
            mine.decrementAndGet();
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }
    };
  }

  static String client(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }

  private void warnOnce(String client, String kind, String which) {
    long n = warned.computeIfAbsent(client + "/" + kind, k -> new AtomicLong()).incrementAndGet();
    if (n == 1) {
      LOG.warn(
          "VM {} refused a {} call from {}: RESOURCE_EXHAUSTED, {} already running (further refusals"
              + " of this kind are logged at debug)",
          self,
          kind,
          client,
          which);
    } else {
      LOG.debug("VM {} refused a {} call from {} ({} times)", self, kind, client, n);
    }
  }
}
