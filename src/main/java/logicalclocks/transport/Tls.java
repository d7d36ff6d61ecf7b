package logicalclocks.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import logicalclocks.config.HostPort;
import logicalclocks.config.TlsConfig;

/**
 * Mutual TLS: SSL contexts for server and client, and the check that a sender id matches the peer's
 * certificate.
 */
public final class Tls {
  /** The names (see {@link #names}) of the current call's client certificate. */
  static final Context.Key<Set<String>> PEER_NAMES = Context.key("lc-peer-names");

  private Tls() {}

  public static SslContext server(TlsConfig tls) throws IOException {
    return GrpcSslContexts.configure(
            SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile()))
        .trustManager(tls.ca().toFile())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
  }

  public static SslContext client(TlsConfig tls) throws IOException {
    return GrpcSslContexts.forClient()
        .trustManager(tls.ca().toFile())
        .keyManager(tls.cert().toFile(), tls.key().toFile())
        .build();
  }

  /**
   * A JDK {@link SSLContext} with the same key material as {@link #server}: this VM's certificate
   * chain and key, trusting only the CA (for the JDK HTTPS server behind /metrics; it asks for the
   * client certificate itself).
   */
  public static SSLContext jdkServerContext(TlsConfig tls) throws IOException {
    SslContext netty =
        SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
            .trustManager(tls.ca().toFile())
            .sslProvider(SslProvider.JDK)
            .build();
    return ((JdkSslContext) netty).context();
  }

  /** Puts the client certificate's names into the call's context. */
  public static ServerInterceptor peerNames() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Set<String> names = new HashSet<>();
        if (session != null) {
          try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
              names.addAll(names(x509));
            }
          } catch (SSLPeerUnverifiedException e) {
            // no names: every sender id is refused
          }
        }
        return Contexts.interceptCall(
            Context.current().withValue(PEER_NAMES, names), call, headers, next);
      }
    };
  }

  /**
   * The names a certificate is for, as RFC 6125 (section 6.4.4) reads them: when it has a subject
   * alternative name extension, only its DNS and IP SANs (the CN is then not a name, whatever it
   * says); the subject's CN only when there is no SAN extension. A SAN extension that cannot be
   * parsed gives no names at all (fail closed, not a fall back to the CN).
   */
  static Set<String> names(X509Certificate cert) {
    Set<String> names = new HashSet<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return names;
    }
    if (sans != null) {
      for (List<?> san : sans) {
        Object type = san.get(0);
        if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
          names.add(normalize(String.valueOf(san.get(1))));
        }
      }
      return names;
    }
    try {
      for (Rdn rdn :
          new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(normalize(String.valueOf(rdn.getValue())));
        }
      }
    } catch (InvalidNameException e) {
      // an unparseable subject names nothing
    }
    return names;
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    try {
      if (n.matches("[0-9a-f:.]+") && (n.contains(":") || n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
        return InetAddress.getByName(n).getHostAddress();
      }
    } catch (UnknownHostException e) {
      return n;
    }
    return n;
  }

  /** The sender-id check: the client certificate must name PEERS[sender]'s host. */
  public static ClockServiceImpl.SenderCheck senderMatchesCertificate(List<HostPort> peers) {
    return sender -> {
      Set<String> names = PEER_NAMES.get();
      String expected = normalize(peers.get(sender).host());
      if (names == null || !names.contains(expected)) {
        return "sender id "
            + sender
            + " must present a certificate for "
            + peers.get(sender).host()
            + "; this one names "
            + (names == null ? "nothing" : names);
      }
      return null;
    };
  }
}
