package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import logicalclocks.cli.CliAccess;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.Source;
import logicalclocks.config.TlsConfig;
import logicalclocks.config.UiConfig;
import logicalclocks.transport.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/ui.yaml (the live page's Deployment and Service) parsed strictly, with the NetworkPolicies
 * around it: {@code serve} on the StatefulSet's PEERS, probed on /api/state, locked down like the
 * VMs, reachable through {@code kubectl port-forward svc/ui 8080:8080} only.
 */
class KubernetesUiTest {
  static Manifests k8s;
  static StatefulSet sts;
  static Deployment ui;
  static PodSpec pod;
  static Container c;
  static Map<String, String> podLabels;

  @BeforeAll
  static void load() throws Exception {
    k8s = Manifests.load(ComposeFile.projectDir().resolve("k8s"));
    sts = k8s.one(StatefulSet.class);
    ui = k8s.one(Deployment.class);
    pod = ui.getSpec().getTemplate().getSpec();
    c = pod.getContainers().get(0);
    podLabels = ui.getSpec().getTemplate().getMetadata().getLabels();
  }

  static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  static String vmPeers() {
    return env(sts.getSpec().getTemplate().getSpec().getContainers().get(0)).get("PEERS");
  }

  @Test
  void oneReplicaServingTheStatefulSetsPeersOnThePodsInterface() {
    assertThat(ui.getSpec().getReplicas()).isEqualTo(1);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(c.getImage())
        .isEqualTo(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertThat(c.getArgs()).containsExactly("serve", vmPeers());
    assertThat(CliAccess.parses(c.getArgs().toArray(String[]::new))).isTrue();
    assertThat(podLabels).containsAllEntriesOf(ui.getSpec().getSelector().getMatchLabels());
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .as("the ui's pod is none of the VMs'")
        .isNotEqualTo(ui.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels)
        .doesNotContainEntry(
            "app.kubernetes.io/name",
            sts.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));

    Map<String, String> env = env(c);
    assertThat(env).containsEntry("UI_BIND", "0.0.0.0").containsEntry("UI_PORT", "8080");
    UiConfig parsed = ConfigParser.ui(Source.env(env), UiConfig.DEFAULT_PORT);
    assertThat(parsed.bind()).isEqualTo("0.0.0.0");
    assertThat(parsed.port()).isEqualTo(8080);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(parsed.port());
            });
  }

  @Test
  void readyAndAliveWhenApiStateAnswers() {
    for (Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe).isNotNull();
      assertThat(probe.getHttpGet()).as("an HTTP GET probe").isNotNull();
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/api/state");
      var port = probe.getHttpGet().getPort();
      assertThat(port.getStrVal() != null ? port.getStrVal() : "" + port.getIntVal())
          .as("the page's port, by name or number")
          .isIn("http", "8080");
      assertThat(probe.getHttpGet().getScheme()).as("plain HTTP").isIn(null, "HTTP");
    }
    assertThat(c.getLivenessProbe().getInitialDelaySeconds())
        .as("the JVM's start-up before the first liveness probe")
        .isGreaterThanOrEqualTo(10);
  }

  @Test
  void lockedDownLikeTheVms() {
    var podSc = pod.getSecurityContext();
    var vmPodSc = sts.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(podSc).isEqualTo(vmPodSc);
    assertThat(podSc.getRunAsNonRoot()).isTrue();
    assertThat(podSc.getRunAsUser()).isEqualTo(10001L);
    var sc = c.getSecurityContext();
    assertThat(sc)
        .isEqualTo(
            sts.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext());
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    var tmp =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow();
    assertThat(
            pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName()))
                .findFirst()
                .orElseThrow()
                .getEmptyDir())
        .as("a writable /tmp on the read-only root")
        .isNotNull();
    assertThat(pod.getVolumes())
        .allSatisfy(
            v -> {
              assertThat(v.getSecret()).isNull();
              assertThat(v.getHostPath()).isNull();
            });
  }

  @Test
  void theServiceUiForwardsPort8080ToThePage() {
    Service svc = k8s.named(Service.class, "ui");
    assertThat(svc.getSpec().getType()).isIn(null, "ClusterIP");
    assertThat(svc.getSpec().getClusterIP()).as("not headless").isNotEqualTo("None");
    assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(
            sts.getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(svc.getSpec().getSelector().entrySet()))
        .as("selects no VM pod")
        .isFalse();
    var port = svc.getSpec().getPorts().get(0);
    assertThat(svc.getSpec().getPorts()).hasSize(1);
    assertThat(port.getPort()).isEqualTo(8080);
    assertThat(port.getTargetPort().getStrVal()).isEqualTo(c.getPorts().get(0).getName());
  }

  static boolean admits(NetworkPolicyIngressRule rule, Map<String, String> labels) {
    return rule.getFrom().stream()
        .anyMatch(
            f ->
                f.getPodSelector() != null
                    && f.getNamespaceSelector() == null
                    && labels
                        .entrySet()
                        .containsAll(f.getPodSelector().getMatchLabels().entrySet()));
  }

  @Test
  void theUiReachesTheVmsEventsPortAndNoPodReachesTheUi() {
    NetworkPolicy vms = k8s.named(NetworkPolicy.class, sts.getMetadata().getName());
    var admitting = vms.getSpec().getIngress().stream().filter(r -> admits(r, podLabels)).toList();
    assertThat(admitting).as("a rule admits the ui's pod to the VMs").isNotEmpty();
    assertThat(admitting)
        .as("to 50051 (Events) and nothing else")
        .allSatisfy(
            r ->
                assertThat(r.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(50051));
    List<NetworkPolicy> onUi =
        k8s.objects.stream()
            .filter(NetworkPolicy.class::isInstance)
            .map(NetworkPolicy.class::cast)
            .filter(
                np ->
                    podLabels
                        .entrySet()
                        .containsAll(np.getSpec().getPodSelector().getMatchLabels().entrySet()))
            .toList();
    assertThat(onUi).as("one policy selects the ui's pod").hasSize(1);
    assertThat(onUi.get(0).getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(onUi.get(0).getSpec().getIngress())
        .as("no pod admitted to the page (port-forward comes through the node)")
        .isEmpty();
  }

  @Test
  void itsIdentityIsAClientCertificateFromTheVmsIssuerNamingNoVm(@TempDir Path tmp)
      throws Exception {
    var csi = CsiCertificates.volume(pod).getCsi();
    var vmCsi = CsiCertificates.volume(sts.getSpec().getTemplate().getSpec()).getCsi();
    for (String key : List.of("issuer-name", "issuer-kind", "key-encoding", "fs-group")) {
      assertThat(CsiCertificates.attribute(csi, key, null))
          .as(key)
          .isEqualTo(CsiCertificates.attribute(vmCsi, key, "-"));
    }
    assertThat(CsiCertificates.attribute(csi, "key-usages", ""))
        .contains("client auth")
        .doesNotContain("server auth");
    assertThat(csi.getReadOnly()).isTrue();
    String mountPath = CsiCertificates.mount(pod).getMountPath();
    Map<String, String> env = env(c);
    for (String key : List.of("TLS_CERT", "TLS_KEY", "TLS_CA")) {
      assertThat(env.get(key)).as(key).startsWith(mountPath + "/");
    }
    TestCa ca = new TestCa(Files.createDirectories(tmp.resolve("ca")), "ui-ca");
    TlsConfig files =
        CsiCertificates.issue(
            ca, csi, "logical-clocks-ui-5d9f8-x2k7p", "default", tmp.resolve("u"));
    var names = TestCa.names(files.cert());
    assertThat(names).containsExactly("logical-clocks-ui.default");
    for (HostPort peer : ConfigParser.peers(Source.env(Map.of("PEERS", vmPeers())))) {
      assertThat(names).as("the ui's identity is not VM %s", peer).doesNotContain(peer.host());
    }
    assertThat(
            ConfigParser.tls(
                    Source.env(KubernetesManifestsTest.rebase(env, mountPath, tmp.resolve("u"))), 1)
                .key())
        .as("serve reads TLS_* like node")
        .isEqualTo(files.key());
  }
}
