package logicalclocks.config;

/**
 * The live page's server ({@code serve}, {@code local --ui-port}): where it listens, how many
 * browsers may follow it, how many events it keeps for a browser that joins late, and a replay's
 * pace.
 *
 * @param bind the address it listens on (127.0.0.1 unless told otherwise)
 * @param port its TCP port (0: any free one)
 * @param maxClients browsers that may follow at once
 * @param buffer events kept for browsers that join late
 * @param speed a replay's pace, times the run's own (0: as fast as it reads)
 */
public record UiConfig(String bind, int port, int maxClients, int buffer, double speed) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_CLIENTS = 16;
  public static final int DEFAULT_BUFFER = 50_000;
  public static final int MAX_BUFFER = 2_000_000;
  public static final double MAX_SPEED = 10_000;

  /** The URL a browser on this host opens. */
  public String url(int boundPort) {
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort + "/";
  }
}
