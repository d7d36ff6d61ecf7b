package logicalclocks.cli;

class BenchSuite {
  BenchSuite(java.io.PrintWriter out, String duration, String basePort) {}

  int write(java.nio.file.Path file) {
    return 0;
  }
}
