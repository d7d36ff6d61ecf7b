package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl kustomize k8s/} (Debian's kubernetes-client, offline) renders
 * k8s/kustomization.yaml; the rendered objects pass the same strict parsing as the files, carry the
 * recommended labels and the namespace, use the one image, and the StatefulSet's replicas agree
 * with the three PEERS ranges. Skipped without kubectl unless LC_REQUIRE_KUBECTL=true (CI), when it
 * fails instead.
 */
class KustomizeTest {
  static String render() throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    boolean there = Files.isExecutable(kubectl);
    if ("true".equals(System.getenv("LC_REQUIRE_KUBECTL"))) {
      assertThat(there).as("/usr/bin/kubectl exists; LC_REQUIRE_KUBECTL=true").isTrue();
    }
    Assumptions.assumeTrue(there, "no kubectl: kustomize test skipped");
    Path out = Files.createTempFile("kustomize", ".yaml");
    try {
      Process p =
          new ProcessBuilder(
                  kubectl.toString(),
                  "kustomize",
                  ComposeFile.projectDir().resolve("k8s").toString())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("kubectl kustomize k8s/: %s", err).isZero();
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (o instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof Job j) {
      return j.getSpec().getTemplate();
    }
    return null;
  }

  @Test
  void theKustomizationRendersOneConsistentCluster() throws Exception {
    Manifests files = Manifests.load(ComposeFile.projectDir().resolve("k8s"));
    Manifests rendered = new Manifests();
    rendered.objects.addAll(Manifests.parse("kubectl kustomize k8s/", render()));
    assertThat(Manifests.kinds(rendered)).isEqualTo(Manifests.kinds(files));
    assertThat(rendered.objects).hasSameSizeAs(files.objects);

    List<String> images = new ArrayList<>();
    for (HasMetadata o : rendered.objects) {
      String what = o.getKind() + " " + o.getMetadata().getName();
      assertThat(o.getMetadata().getNamespace()).as(what).isEqualTo("default");
      assertThat(o.getMetadata().getLabels())
          .as(what + ": the recommended labels")
          .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/component")
          .containsEntry("app.kubernetes.io/part-of", "logical-clocks")
          .containsEntry("app.kubernetes.io/managed-by", "kustomize");
      PodTemplateSpec t = template(o);
      if (t != null) {
        assertThat(t.getMetadata().getLabels())
            .as(what + "'s pods")
            .containsEntry("app.kubernetes.io/part-of", "logical-clocks");
        t.getSpec().getContainers().forEach(c -> images.add(c.getImage()));
      }
    }
    assertThat(images).hasSize(3).containsOnly("logical-clocks:latest");

    StatefulSet sts = rendered.one(StatefulSet.class);
    int replicas = sts.getSpec().getReplicas();
    String peers = "logical-clocks-{0.." + (replicas - 1) + "}.logical-clocks:50051";
    Container vm = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(vm.getEnv().stream().filter(e -> e.getName().equals("PEERS")).map(EnvVar::getValue))
        .containsExactly(peers);
    assertThat(
            rendered
                .named(Deployment.class, "logical-clocks-ui")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .as("the live page follows the StatefulSet's PEERS")
        .containsExactly("serve", peers);
    assertThat(
            rendered
                .named(Job.class, "logical-clocks-report")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .as("the report Job collects the StatefulSet's PEERS")
        .startsWith("collect", peers);
    assertThat(vm.getLivenessProbe().getTcpSocket().getPort().getStrVal())
        .as("a hung VM is restarted: a TCP liveness probe on its gRPC port")
        .isEqualTo("grpc");
  }
}
