package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.NodeConfig;
import logicalclocks.config.Source;
import logicalclocks.config.TlsConfig;
import logicalclocks.transport.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/ parsed strictly into Kubernetes model classes, then checked for what a cluster would only
 * show later.
 */
class KubernetesManifestsTest {
  static Manifests k8s;
  static StatefulSet sts;
  static Service svc;
  static PodSpec pod;
  static Container vm;

  @BeforeAll
  static void load() throws Exception {
    k8s = Manifests.load(ComposeFile.projectDir().resolve("k8s"));
    sts = k8s.one(StatefulSet.class);
    svc = k8s.named(Service.class, sts.getSpec().getServiceName());
    pod = sts.getSpec().getTemplate().getSpec();
    vm = pod.getContainers().get(0);
  }

  /** The VMs' NetworkPolicy (the one selecting the StatefulSet's pods). */
  static NetworkPolicy vmPolicy() {
    return k8s.named(NetworkPolicy.class, sts.getMetadata().getName());
  }

  static Map<String, String> env() {
    return vm.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void strictParsingRejectsUnknownFieldsKindsAndTypos() {
    assertThat(Manifests.kinds(k8s))
        .containsExactlyInAnyOrder(
            "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy", "Job", "Deployment");
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    "typo.yaml",
                    """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: x}
        spec:
          replicaz: 3
        """))
        .hasMessageContaining("spec.replicaz");
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    "deep.yaml",
                    """
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec:
          ports: [{port: 1, targetPort: grpc, protocl: TCP}]
        """))
        .hasMessageContaining("protocl");
    assertThatThrownBy(
            () -> Manifests.parse("kind.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"))
        .hasMessageContaining("unexpected apiVersion/kind v1/Pod");
  }

  @Test
  void headlessServicePublishesNotReadyAddressesAndSelectsThePods() {
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(50051);
  }

  @Test
  void statefulSetShape() {
    assertThat(sts.getSpec().getServiceName()).isEqualTo(svc.getMetadata().getName());
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    var probe = vm.getReadinessProbe().getGrpc();
    assertThat(probe).as("native gRPC readiness probe").isNotNull();
    assertThat(vm.getPorts().get(0).getContainerPort()).isEqualTo(50051);
    assertThat(probe.getPort())
        .as("under TLS the probe (no certificate) asks the plaintext health port")
        .isEqualTo(Integer.parseInt(env().get("HEALTH_PORT")))
        .isEqualTo(50052);
    assertThat(vm.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("health");
              assertThat(p.getContainerPort()).isEqualTo(50052);
            });
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(10L);
  }

  @Test
  void everyMountHasAVolumeOrClaimAndLogsAreOnTheClaim() {
    Set<String> sources = new HashSet<>(pod.getVolumes().stream().map(Volume::getName).toList());
    sts.getSpec().getVolumeClaimTemplates().forEach(c -> sources.add(c.getMetadata().getName()));
    vm.getVolumeMounts()
        .forEach(
            m -> assertThat(sources).as("source of mount %s", m.getName()).contains(m.getName()));
    var logs =
        vm.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/logs"))
            .findFirst()
            .orElseThrow();
    assertThat(sts.getSpec().getVolumeClaimTemplates())
        .extracting(c -> c.getMetadata().getName())
        .contains(logs.getName());
    var tmp =
        vm.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow();
    assertThat(
            pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName()))
                .findFirst()
                .orElseThrow()
                .getEmptyDir())
        .isNotNull();
    assertThat(env()).containsEntry("LOG_DIR", "/logs");
  }

  @Test
  void peersNameEveryPodThroughTheHeadlessService() {
    String expected =
        IntStream.range(0, sts.getSpec().getReplicas())
            .mapToObj(
                i ->
                    sts.getMetadata().getName()
                        + "-"
                        + i
                        + "."
                        + svc.getMetadata().getName()
                        + ":50051")
            .collect(Collectors.joining(","));
    assertThat(env().get("PEERS"))
        .as("one range, not an entry per pod: scaling changes replicas and its upper bound")
        .isEqualTo(
            sts.getMetadata().getName()
                + "-{0.."
                + (sts.getSpec().getReplicas() - 1)
                + "}."
                + svc.getMetadata().getName()
                + ":50051");
    assertThat(
            ConfigParser.peers(Source.env(Map.of("PEERS", env().get("PEERS")))).stream()
                .map(Object::toString)
                .collect(Collectors.joining(",")))
        .isEqualTo(expected);
    assertThat(env()).doesNotContainKey("ID");
    NodeConfig pod1 =
        ConfigParser.node(
            Source.env(
                Map.of(
                    "PEERS", env().get("PEERS"), "LOG_DIR", System.getProperty("java.io.tmpdir"))),
            sts.getMetadata().getName() + "-1");
    assertThat(pod1.id()).as("ID from the pod's ordinal").isEqualTo(1);
    NodeConfig full =
        ConfigParser.node(Source.env(withTmpLogs(env())), sts.getMetadata().getName() + "-2");
    assertThat(full.afterRun()).isEqualTo(NodeConfig.AfterRun.WAIT);
  }

  /**
   * The env with LOG_DIR in the temp folder, and without TLS_* (files of the pod's csi volume, not
   * here: {@link #eachPodMountsOnlyItsOwnKeyFromTheCsiDriver} reads them from files it makes).
   */
  static Map<String, String> withTmpLogs(Map<String, String> env) {
    Map<String, String> m = logsInTmp(env);
    m.keySet().removeAll(List.of("TLS_CERT", "TLS_KEY", "TLS_CA"));
    return m;
  }

  static Map<String, String> logsInTmp(Map<String, String> env) {
    Map<String, String> m = new HashMap<>(env);
    m.put("LOG_DIR", System.getProperty("java.io.tmpdir"));
    return m;
  }

  @Test
  void clockAndNetworkKnobsAreThereCalmByDefaultAndTheSkewSpreadsThePods() {
    Map<String, String> env = env();
    for (String key : ComposeClockKnobsTest.CLOCK) {
      assertThat(env).containsEntry(key, "");
    }
    for (String key : ComposeClockKnobsTest.NET) {
      assertThat(env).containsEntry(key, "");
    }
    assertThat(env).containsEntry("SEED", "");
    String name = sts.getMetadata().getName();
    for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
      NodeConfig node = ConfigParser.node(Source.env(withTmpLogs(env)), name + "-" + i);
      assertThat(node.model().clocks().calm()).as("pod %d's clock as shipped", i).isTrue();
    }
    // The pods share one env: CLOCK_SKEW_MS (with SEED) is the per-pod spread, by ordinal.
    Map<String, String> skewed = withTmpLogs(env);
    skewed.put("CLOCK_SKEW_MS", "500");
    skewed.put("SEED", "7");
    Set<Long> offsets = new HashSet<>();
    for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
      NodeConfig node = ConfigParser.node(Source.env(skewed), name + "-" + i);
      long offset =
          logicalclocks.vm.Seeds.physicalClock(node.model().clocks(), node.id(), 7).offsetMs();
      assertThat(offset).as("pod %d's offset", i).isBetween(-500L, 500L);
      offsets.add(offset);
    }
    assertThat(offsets).as("each pod draws its own").hasSize(sts.getSpec().getReplicas());
  }

  @Test
  void lockedDownSecurityContext() {
    var podSc = pod.getSecurityContext();
    assertThat(podSc.getRunAsNonRoot()).isTrue();
    assertThat(podSc.getRunAsUser()).isEqualTo(10001L);
    assertThat(podSc.getFsGroup()).isEqualTo(10001L);
    assertThat(podSc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = vm.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).isEqualTo(List.of("ALL"));
    assertThat(sc.getRunAsNonRoot()).isTrue();
  }

  @Test
  void disruptionBudgetAndNetworkPolicyCoverThePods() {
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    PodDisruptionBudget pdb = k8s.one(PodDisruptionBudget.class);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    NetworkPolicy np = vmPolicy();
    assertThat(podLabels).containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
    var rule = np.getSpec().getIngress().get(0);
    assertThat(podLabels)
        .containsAllEntriesOf(rule.getFrom().get(0).getPodSelector().getMatchLabels());
    assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(50051);
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
  }

  @Test
  void theReportJobCollectsEveryPodsLogThroughTheRpcAndIsAdmitted() {
    Job job = k8s.one(Job.class);
    var spec = job.getSpec().getTemplate().getSpec();
    var c = spec.getContainers().get(0);
    assertThat(c.getArgs()).startsWith("collect", env().get("PEERS")).contains("--analyze");
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    Map<String, String> jobLabels = job.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .as("the Job's pods are not the StatefulSet's")
        .isNotEqualTo(jobLabels);
    NetworkPolicy np = vmPolicy();
    var admitting =
        np.getSpec().getIngress().stream()
            .filter(
                r ->
                    r.getFrom().stream()
                        .anyMatch(
                            f ->
                                f.getPodSelector() != null
                                    && jobLabels
                                        .entrySet()
                                        .containsAll(
                                            f.getPodSelector().getMatchLabels().entrySet())))
            .toList();
    assertThat(admitting).as("a rule admits the Job's pods").isNotEmpty();
    assertThat(admitting)
        .as("the Job's pods are admitted to 50051 (Events) and nothing else")
        .allSatisfy(
            r ->
                assertThat(r.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(50051));
    // The arguments are a valid command line.
    assertThat(logicalclocks.cli.CliAccess.parses(c.getArgs().toArray(String[]::new))).isTrue();
  }

  @Test
  void metricsAreExposedAnnotatedAndAdmitted() {
    assertThat(env()).containsEntry("METRICS_PORT", "9464");
    assertThat(vm.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(9464);
            });
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "9464")
        .containsEntry("prometheus.io/path", "/metrics");
    NetworkPolicy np = vmPolicy();
    assertThat(np.getSpec().getIngress())
        .as("an ingress rule admits 9464 from the monitoring namespace only")
        .anySatisfy(
            rule -> {
              assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(9464);
              assertThat(rule.getFrom()).hasSize(1);
              assertThat(rule.getFrom().get(0).getPodSelector()).isNull();
              assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
                  .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
            });
    assertThat(np.getSpec().getIngress())
        .as("9464 is admitted by no other rule, and no rule admits any namespace")
        .allSatisfy(
            rule -> {
              if (rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 9464)) {
                assertThat(rule.getFrom().get(0).getNamespaceSelector()).isNotNull();
              }
              rule.getFrom()
                  .forEach(
                      f -> {
                        if (f.getNamespaceSelector() != null) {
                          assertThat(f.getNamespaceSelector().getMatchLabels()).isNotEmpty();
                        }
                      });
            });
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .as("/metrics is HTTPS under TLS")
        .containsEntry("prometheus.io/scheme", "https");
    assertThat(
            ConfigParser.node(Source.env(withTmpLogs(env())), sts.getMetadata().getName() + "-0")
                .metricsPort())
        .isEqualTo(9464);
  }

  @Test
  void eachPodMountsOnlyItsOwnKeyFromTheCsiDriver(@TempDir Path tmp) throws Exception {
    assertThat(pod.getVolumes())
        .as("no Secret, projected or hostPath volume: no pod holds another pod's key")
        .allSatisfy(
            v -> {
              assertThat(v.getSecret()).isNull();
              assertThat(v.getProjected()).isNull();
              assertThat(v.getHostPath()).isNull();
            });
    var tlsVolume = CsiCertificates.volume(pod);
    var csi = tlsVolume.getCsi();
    assertThat(csi.getReadOnly()).isTrue();
    var mount = CsiCertificates.mount(pod);
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(CsiCertificates.attribute(csi, "key-encoding", "PKCS1"))
        .as("the VM reads PKCS#8 keys")
        .isEqualTo("PKCS8");
    var podSc = pod.getSecurityContext();
    assertThat(Long.parseLong(CsiCertificates.attribute(csi, "fs-group", "0")))
        .as("the driver's files (0440) belong to the group the VM runs as")
        .isEqualTo(podSc.getRunAsGroup())
        .isEqualTo(podSc.getFsGroup());
    Map<String, String> env = env();
    for (String key : List.of("TLS_CERT", "TLS_KEY", "TLS_CA")) {
      assertThat(env.get(key))
          .as("%s is a file of the pod's own csi volume", key)
          .startsWith(mount.getMountPath() + "/");
    }
    assertThat(env.get("TLS_KEY"))
        .isEqualTo(
            mount.getMountPath() + "/" + CsiCertificates.attribute(csi, "privatekey-file", "-"));
    // The names the driver issues each pod are that pod's PEERS host (and no other VM's): the
    // sender check accepts pod i's certificate as VM i only.
    TestCa ca = new TestCa(Files.createDirectories(tmp.resolve("ca")), "k8s-ca");
    List<HostPort> peers = ConfigParser.peers(Source.env(Map.of("PEERS", env.get("PEERS"))));
    for (int i = 0; i < peers.size(); i++) {
      String podName = sts.getMetadata().getName() + "-" + i;
      List<String> names = CsiCertificates.dnsNames(csi, podName, "default");
      assertThat(names).as("pod %d's DNS SANs", i).contains(peers.get(i).host());
      TlsConfig files = CsiCertificates.issue(ca, csi, podName, "default", tmp.resolve("pod-" + i));
      var certNames = TestCa.names(files.cert());
      for (int j = 0; j < peers.size(); j++) {
        assertThat(certNames.contains(peers.get(j).host()))
            .as("pod %d's certificate names VM %d", i, j)
            .isEqualTo(i == j);
      }
      NodeConfig node =
          ConfigParser.node(
              Source.env(logsInTmp(rebase(env, mount.getMountPath(), tmp.resolve("pod-" + i)))),
              podName);
      assertThat(node.tls().key()).isEqualTo(files.key());
    }
  }

  /** The env with paths under {@code mountPath} moved to {@code dir} (where a test put them). */
  static Map<String, String> rebase(Map<String, String> env, String mountPath, Path dir) {
    Map<String, String> m = new HashMap<>(env);
    m.replaceAll(
        (k, v) -> v.startsWith(mountPath + "/") ? dir + v.substring(mountPath.length()) : v);
    return m;
  }

  @Test
  void theReportJobsIdentityIsFromTheSameIssuerAndNamesNoVm(@TempDir Path tmp) throws Exception {
    Job job = k8s.one(Job.class);
    PodSpec spec = job.getSpec().getTemplate().getSpec();
    var csi = CsiCertificates.volume(spec).getCsi();
    var vmCsi = CsiCertificates.volume(pod).getCsi();
    assertThat(CsiCertificates.attribute(csi, "issuer-name", null))
        .isEqualTo(CsiCertificates.attribute(vmCsi, "issuer-name", "-"));
    assertThat(CsiCertificates.attribute(csi, "issuer-kind", null))
        .isEqualTo(CsiCertificates.attribute(vmCsi, "issuer-kind", "-"));
    assertThat(CsiCertificates.attribute(csi, "key-usages", ""))
        .as("a client certificate only")
        .contains("client auth")
        .doesNotContain("server auth");
    Map<String, String> jobEnv =
        spec.getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    String mountPath = CsiCertificates.mount(spec).getMountPath();
    assertThat(jobEnv.get("TLS_KEY")).startsWith(mountPath + "/");
    TestCa ca = new TestCa(Files.createDirectories(tmp.resolve("ca")), "report-ca");
    TlsConfig files =
        CsiCertificates.issue(ca, csi, "logical-clocks-report-x7k2p", "default", tmp.resolve("r"));
    var names = TestCa.names(files.cert());
    assertThat(names).isNotEmpty();
    for (HostPort peer : ConfigParser.peers(Source.env(Map.of("PEERS", env().get("PEERS"))))) {
      assertThat(names).as("the report identity is not VM %s", peer).doesNotContain(peer.host());
    }
    assertThat(ConfigParser.tls(Source.env(rebase(jobEnv, mountPath, tmp.resolve("r"))), 1).key())
        .as("collect reads the Job's TLS_* like node")
        .isEqualTo(files.key());
  }
}
