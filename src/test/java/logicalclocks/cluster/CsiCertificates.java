package logicalclocks.cluster;

import io.fabric8.kubernetes.api.model.CSIVolumeSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import logicalclocks.config.TlsConfig;
import logicalclocks.transport.TestCa;

/**
 * What cert-manager's csi-driver (csi.cert-manager.io) would mount for one pod, made from a
 * manifest's own volume attributes: a key pair for the names it asks for (${POD_NAME} and
 * ${POD_NAMESPACE} substituted), issued by a test CA, written as the files it names.
 */
final class CsiCertificates {
  static final String DRIVER = "csi.cert-manager.io";
  static final String PREFIX = DRIVER + "/";

  private CsiCertificates() {}

  /** The pod's csi-driver volume (exactly one). */
  static Volume volume(PodSpec pod) {
    List<Volume> csi =
        pod.getVolumes().stream()
            .filter(v -> v.getCsi() != null && DRIVER.equals(v.getCsi().getDriver()))
            .toList();
    if (csi.size() != 1) {
      throw new IllegalStateException("expected one " + DRIVER + " volume, found " + csi.size());
    }
    return csi.get(0);
  }

  /** Where the container mounts it. */
  static VolumeMount mount(PodSpec pod) {
    String name = volume(pod).getName();
    return pod.getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static String attribute(CSIVolumeSource csi, String key, String fallback) {
    return csi.getVolumeAttributes().getOrDefault(PREFIX + key, fallback);
  }

  static String substitute(String value, String pod, String namespace) {
    return value.replace("${POD_NAME}", pod).replace("${POD_NAMESPACE}", namespace);
  }

  /** The DNS SANs the volume asks for, for this pod. */
  static List<String> dnsNames(CSIVolumeSource csi, String pod, String namespace) {
    String names = attribute(csi, "dns-names", "");
    List<String> out = new ArrayList<>();
    Arrays.stream(names.split(","))
        .map(String::trim)
        .filter(n -> !n.isEmpty())
        .forEach(n -> out.add(substitute(n, pod, namespace)));
    return out;
  }

  /**
   * Writes the pod's files into {@code dir} (which then holds only them) and returns the TLS
   * settings pointing at them.
   */
  static TlsConfig issue(TestCa ca, CSIVolumeSource csi, String pod, String namespace, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    String cn = attribute(csi, "common-name", null);
    String subject = cn == null ? "O=cert-manager" : "CN=" + substitute(cn, pod, namespace);
    TlsConfig made = ca.issue(pod, subject, dnsNames(csi, pod, namespace), 1);
    Map<String, Path> files =
        Map.of(
            attribute(csi, "certificate-file", "tls.crt"), made.cert(),
            attribute(csi, "privatekey-file", "tls.key"), made.key(),
            attribute(csi, "ca-file", "ca.crt"), ca.caFile());
    for (var e : files.entrySet()) {
      Files.copy(e.getValue(), dir.resolve(e.getKey()));
    }
    return new TlsConfig(
        dir.resolve(attribute(csi, "certificate-file", "tls.crt")),
        dir.resolve(attribute(csi, "privatekey-file", "tls.key")),
        dir.resolve(attribute(csi, "ca-file", "ca.crt")),
        1);
  }
}
