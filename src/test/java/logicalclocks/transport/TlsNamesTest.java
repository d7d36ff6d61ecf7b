package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import logicalclocks.config.HostPort;
import logicalclocks.config.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 6125 names: the SANs when a certificate has any, the CN only when it has none. */
class TlsNamesTest {
  @TempDir Path tmp;

  static java.util.Set<String> names(TlsConfig tls) throws Exception {
    return Tls.names(TestCa.read(tls.cert()));
  }

  @Test
  void withSubjectAlternativeNamesTheCnIsNotAName() throws Exception {
    TestCa ca = new TestCa(tmp, "names-ca");
    TlsConfig cert = ca.issue("mixed", "CN=vm0,O=lc", List.of("report.example", "10.0.0.7"), 1);
    assertThat(names(cert))
        .as("only the DNS and IP SANs: a CN naming VM 0 beside them names nothing")
        .containsExactlyInAnyOrder("report.example", "10.0.0.7");
  }

  @Test
  void withoutSubjectAlternativeNamesTheCnIsTheName() throws Exception {
    TestCa ca = new TestCa(tmp, "names-ca");
    assertThat(names(ca.issue("legacy", "CN=VM1.Example,O=lc", List.of(), 1)))
        .containsExactly("vm1.example");
  }

  @Test
  void sanNamesAreNormalized() throws Exception {
    TestCa ca = new TestCa(tmp, "names-ca");
    assertThat(names(ca.issue("v6", "CN=x", List.of("VM2.Example", "0:0:0:0:0:0:0:1"), 1)))
        .containsExactlyInAnyOrder("vm2.example", "0:0:0:0:0:0:0:1");
  }

  @Test
  void theSenderCheckIgnoresACnBesideSans() throws Exception {
    TestCa ca = new TestCa(tmp, "names-ca");
    List<HostPort> peers = List.of(new HostPort("vm0", 1), new HostPort("vm1", 1));
    var names = names(ca.issue("impostor", "CN=vm0", List.of("logical-clocks-report"), 1));
    var check = Tls.senderMatchesCertificate(peers);
    String why =
        io.grpc.Context.current().withValue(Tls.PEER_NAMES, names).call(() -> check.refuse(0));
    assertThat(why).as("a CN of vm0 beside a SAN does not make the certificate VM 0's").isNotNull();
    var vm0 = names(ca.issue("vm0", "CN=whatever", List.of("vm0"), 1));
    assertThat(io.grpc.Context.current().withValue(Tls.PEER_NAMES, vm0).call(() -> check.refuse(0)))
        .isNull();
  }
}
