package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's HTTP surface without a browser: the page and its assets come from the jar, a log of the
 * replayed directory and nothing else can be read (no path, encoding or link leads outside it), and
 * one browser more than the limit is told why, in the stream itself.
 */
class UiServerTest {
  @TempDir Path tmp;

  static final String LINE =
      "ts=2026-12-02T05:17:37.362Z vm=0 event=START clock=0 queue=0 rate=6 sides=10 seed=3"
          + " peers=1";

  HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status line and body of a request sent as raw bytes (no client normalises the path). */
  static String raw(int port, String path) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void servesThePageAndOnlyTheReplayedLogs() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(logs.resolve("machine_0.log"), LINE + "\n");
    Files.writeString(tmp.resolve("secret.txt"), "SECRET\n");
    Files.writeString(logs.resolve("notes.txt"), "SECRET\n");
    Files.createSymbolicLink(logs.resolve("machine_7.log"), tmp.resolve("secret.txt"));
    Feed feed = new Feed(1, 100, "t", "replay");
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 2, logs).start()) {
      int port = server.port();
      assertThat(get(port, "/").body()).contains("<svg id=\"diagram\"");
      assertThat(get(port, "/app.js").statusCode()).isEqualTo(200);
      assertThat(get(port, "/logs/machine_0.log").body()).isEqualTo(LINE + "\n");
      assertThat(get(port, "/api/state").body()).contains("\"vms\":[");
      for (String path :
          new String[] {
            "/logs/notes.txt",
            "/logs/machine_7.log",
            "/logs/..%2Fsecret.txt",
            "/logs/%2e%2e%2fsecret.txt",
            "/logs/../secret.txt",
            "/logs/machine_0.log%00",
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/logs/..%5c..%5csecret.txt",
            "/logicalclocks/ui/../../logback.xml",
            "/../../../../etc/passwd"
          }) {
        String answer = raw(port, path);
        assertThat(answer).as(path).doesNotContain("SECRET").doesNotContain("root:");
        assertThat(answer.substring(0, answer.indexOf("\r\n")))
            .as(path)
            .matches("HTTP/1.1 (400|404).*");
      }
    }
    try (UiServer live = new UiServer(feed, "127.0.0.1", 0, 2, null).start()) {
      assertThat(get(live.port(), "/logs/machine_0.log").statusCode())
          .as("a live page serves no files")
          .isEqualTo(404);
    }
  }

  @Test
  void oneBrowserMoreThanTheLimitIsToldWhy() throws Exception {
    Feed feed = new Feed(1, 100, "t", "live");
    feed.line(0, LINE, 0);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 1, null).start()) {
      HttpRequest sse =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"))
              .header("Accept", "text/event-stream")
              .build();
      HttpResponse<Stream<String>> first = http.send(sse, HttpResponse.BodyHandlers.ofLines());
      Iterator<String> lines = first.body().iterator();
      assertThat(lines.next()).isEqualTo("event: hello");
      String batch = next(lines, "event: batch");
      assertThat(batch).contains("\"e\":\"START\"");
      HttpResponse<Stream<String>> second = http.send(sse, HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> s = second.body()) {
        String data = next(s.iterator(), "event: refused");
        assertThat(data).contains("limit (serve --max-clients 1)");
      }
      assertThat(server.clients()).isEqualTo(1);
      first.body().close();
    }
  }

  @Test
  void aBrowserThatNeverReadsDoesNotHoldUpTheOthers() throws Exception {
    Feed feed = new Feed(1, 10_000, "t", "live");
    String big = "x".repeat(1900);
    for (int i = 0; i < 6000; i++) {
      feed.line(0, big, 0); // ~12 MB for each browser that joins: more than a socket holds
    }
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, null).start();
        Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      stuck
          .getOutputStream()
          .write(
              "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      org.awaitility.Awaitility.await().until(() -> server.clients() == 1);
      HttpRequest sse =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"))
              .header("Accept", "text/event-stream")
              .build();
      HttpResponse<Stream<String>> reader = http.send(sse, HttpResponse.BodyHandlers.ofLines());
      Iterator<String> lines = reader.body().iterator();
      java.util.concurrent.ExecutorService ex =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        ex.submit(() -> next(lines, "event: batch")).get(20, java.util.concurrent.TimeUnit.SECONDS);
        feed.line(0, LINE.replace("seed=3", "seed=42"), 0);
        String later =
            ex.submit(
                    () -> {
                      String d;
                      do {
                        d = next(lines, "event: batch");
                      } while (!d.contains("seed=42"));
                      return d;
                    })
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(later).contains("\"e\":\"START\"");
      } finally {
        ex.shutdownNow();
        reader.body().close();
      }
    }
  }

  @Test
  void aBrowserThatJoinsIsSentTheBufferInChunksOldestFirst() throws Exception {
    Feed feed = new Feed(1, 70_000, "t", "live");
    for (int i = 0; i < 65_000; i++) {
      feed.line(0, "not a line " + i, 0);
    }
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 1, null).start()) {
      HttpRequest sse =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"))
              .header("Accept", "text/event-stream")
              .build();
      HttpResponse<Stream<String>> r = http.send(sse, HttpResponse.BodyHandlers.ofLines());
      Iterator<String> lines = r.body().iterator();
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      long expect = 1;
      int batches = 0;
      while (expect <= 65_000) {
        com.fasterxml.jackson.databind.JsonNode ev =
            json.readTree(next(lines, "event: batch").substring("data: ".length())).get("events");
        assertThat(ev.size()).isLessThanOrEqualTo(UiServer.CATCH_UP_BATCH);
        for (com.fasterxml.jackson.databind.JsonNode e : ev) {
          assertThat(e.get("s").asLong()).isEqualTo(expect++);
        }
        batches++;
      }
      assertThat(batches).isGreaterThanOrEqualTo(3);
      r.body().close();
    }
  }

  @Test
  void aFloodOfFrameReportsIsNotKept() throws Exception {
    Feed feed = new Feed(1, 100, "t", "live");
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 1, null).start()) {
      String body = "{\"frames\":[" + "1,".repeat(50_000) + "1]}";
      for (int i = 0; i < 100; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/frames"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
      }
      assertThat(server.frames()).hasSize(UiServer.MAX_FRAMES);
    }
  }

  /** The data line after the line {@code event}. */
  static String next(Iterator<String> lines, String event) {
    while (lines.hasNext()) {
      if (lines.next().equals(event)) {
        return lines.next();
      }
    }
    throw new AssertionError("no " + event);
  }
}
