# The same image as `./mvnw package jib:dockerBuild`, for people without Java: same entrypoint, user, port,
# volume and /app layout, so docker-compose.yml and k8s/ work with either.
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
 && mkdir -p /out/app/classes /out/app/libs /out/logs \
 && cp -r target/classes/. /out/app/classes/ \
 && cp target/libs/*.jar /out/app/libs/ \
 && (printf '/app/resources:/app/classes'; for j in /out/app/libs/*.jar; do printf ':/app/libs/%s' "$(basename "$j")"; done) > /out/app/jib-classpath-file \
 && mkdir -p /out/app/resources

FROM ${RUNTIME_IMAGE}
COPY --from=build --chown=0:0 /out/app /app
COPY --from=build --chown=10001:10001 /out/logs /logs
ENV LOG_DIR=/logs PORT=50051
WORKDIR /app
USER 10001:10001
EXPOSE 50051
VOLUME ["/logs"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", "logicalclocks.cli.Main"]
CMD ["node"]
