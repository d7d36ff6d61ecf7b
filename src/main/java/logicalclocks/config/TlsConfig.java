package logicalclocks.config;

import java.nio.file.Path;

/**
 * Mutual TLS between VMs: this VM's certificate chain and key, and the CA that signs every VM's
 * certificate (PEM files). A VM's certificate must name it (DNS or IP subject alternative name, or
 * CN) as its PEERS host.
 *
 * @param cert certificate chain (PEM)
 * @param key private key (PKCS#8 PEM)
 * @param ca trusted CA certificate(s) (PEM)
 * @param healthPort plaintext port serving only gRPC health (for probes that cannot do TLS)
 */
public record TlsConfig(Path cert, Path key, Path ca, int healthPort) {}
