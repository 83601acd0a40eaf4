# syntax=docker/dockerfile:1
# The control plane image. Nothing is built here: build the jar first, from the repository root,
#   ./mvnw -B package -pl control-plane -am -DskipTests
# then build the image with the repository root as the context:
#   docker build -f deploy/docker/control-plane.Dockerfile -t servinglayer/control-plane:local .
# (deploy/docker/control-plane.Dockerfile.dockerignore keeps the context to that one jar.)

# The jar is split into Spring Boot's layers (dependencies first, the application last), so an
# image rebuilt after a code change shares every layer but the last with the one before it.
FROM eclipse-temurin:17-jre AS layers
WORKDIR /layers
COPY control-plane/target/control-plane-*-exec.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# A user of its own, by number, so Kubernetes' runAsNonRoot can check it. The state folder is
# made here and owned by that user, so an empty volume mounted on it (compose) starts writable.
RUN groupadd --system --gid 10001 servinglayer \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin servinglayer \
    && mkdir -p /var/lib/servinglayer && chown 10001:10001 /var/lib/servinglayer && chmod 0700 /var/lib/servinglayer
WORKDIR /application
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
USER 10001:10001
# Heap as a share of the container's memory limit; a JVM out of memory exits, so it is restarted
# instead of limping on. Override the whole variable to change it (the Kubernetes manifests do).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
