# The same image as `./mvnw package jib:dockerBuild`, for people without Java: same entrypoint, user, port,
# volume, /app/jib-classpath-file and /app/libs, so docker-compose.yml and k8s/ work with either. Two
# differences, both for start-up time: the project's own classes are a jar (/app/libs/logical-clocks.jar,
# first on the class path) instead of /app/classes, and the image holds an AppCDS archive (/app/app.jsa) of
# the classes a node loads, which the entrypoint maps (-XX:SharedArchiveFile). Java 17's CDS archives
# classes from jars only, and the archive must be made by the image's own JVM, so it is made here, in the
# runtime stage, by a short training run of two nodes (Jib cannot run a JVM while it builds: its image has
# the JDK's default CDS archive only).
# Base images are build ARGs so an offline engine can use local images:
#   docker build --build-arg BUILD_IMAGE=logical-clocks-jdk:17 --build-arg RUNTIME_IMAGE=logical-clocks-jre:17 .
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline -DexcludeArtifactIds=logical-clocks || true
COPY src src
RUN ./mvnw -B -q package -DskipTests -Djib.skip=true \
 && ./mvnw -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/libs \
 && mkdir -p /out/app/libs /out/logs \
 && jar --create --file /out/app/libs/logical-clocks.jar -C target/classes . \
 && cp target/libs/*.jar /out/app/libs/ \
 && (printf '/app/libs/logical-clocks.jar'; for j in target/libs/*.jar; do printf ':/app/libs/%s' "$(basename "$j")"; done) > /out/app/jib-classpath-file

FROM ${RUNTIME_IMAGE}
# The OCI annotations (the Jib image has the same, from pom.xml; DockerfileIT checks the version is the jar's).
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="logical-clocks" \
      org.opencontainers.image.description="Lamport logical clocks in a small asynchronous distributed system over gRPC" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build --chown=0:0 /out/app /app
COPY --from=build --chown=10001:10001 /out/logs /logs
# The AppCDS archive: VM 0 of a 2-VM run on loopback (2 s at 20 ticks/s: server, client, health, event log,
# journal, /metrics) writes the classes it loaded to /app/app.jsa at exit; the same JVM flags as the
# ENTRYPOINT. -Xshare:on then fails the build if the archive cannot be mapped with the entrypoint's class path.
RUN set -e; \
    flags='-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError'; \
    mkdir -p /tmp/cds/0 /tmp/cds/1; \
    for i in 0 1; do \
      if [ "$i" = 0 ]; then cds=-XX:ArchiveClassesAtExit=/app/app.jsa; else cds=; fi; \
      ID=$i PEERS=127.0.0.1:50071,127.0.0.1:50072 PORT=$((50071 + i)) METRICS_PORT=$((9471 + i)) DURATION=2 \
        TICK_RATE=20 STARTUP_TIMEOUT=60 LOG_DIR=/tmp/cds/$i HEALTH_FILE=/tmp/cds/health-$i \
        java $flags $cds -cp @/app/jib-classpath-file logicalclocks.cli.Main node > /tmp/cds/out-$i 2>&1 & \
      pids="$pids $!"; \
    done; \
    status=0; for p in $pids; do wait "$p" || status=1; done; \
    [ "$status" = 0 ] || { cat /tmp/cds/out-*; exit 1; }; \
    java $flags -XX:SharedArchiveFile=/app/app.jsa -Xshare:on -cp @/app/jib-classpath-file logicalclocks.cli.Main --version; \
    chmod 644 /app/app.jsa; rm -rf /tmp/cds
ENV LOG_DIR=/logs PORT=50051
WORKDIR /app
USER 10001:10001
EXPOSE 50051
VOLUME ["/logs"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/app.jsa", "-cp", "@/app/jib-classpath-file", "logicalclocks.cli.Main"]
CMD ["node"]
