# syntax=docker/dockerfile:1
# One image recipe for both services: docker build --build-arg SERVICE=api-service|download-worker .
# Builds from source, so `docker compose up --build` works on a fresh Docker host.
#
# Base images: the Temurin 25 tags follow JDK 25's security updates; pin them by digest in a release pipeline.
ARG SERVICE=api-service

FROM eclipse-temurin:25-jdk-noble AS build
ARG SERVICE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# The reactor needs the pom of every module the root pom lists; only the modules the service is built from need
# their sources. deploy-tests (DockerfileTests) fails when a module of the root pom is missing here.
COPY shared-model shared-model
COPY messaging messaging
COPY test-support test-support
COPY api-service api-service
COPY download-worker download-worker
COPY system-tests/pom.xml system-tests/pom.xml
COPY deploy-tests/pom.xml deploy-tests/pom.xml
# sharing=locked: compose builds both images at once, and two Maven runs must not write one repository together.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -q -Dmaven.test.skip=true -pl "${SERVICE}" -am package \
 && java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}.jar" extract --layers --launcher --destination /layers \
 && { cat "${SERVICE}/jvm.options" 2>/dev/null || true; } > /jvm.options

FROM eclipse-temurin:25-jre-noble
RUN groupadd --system --gid 10001 fetchq && useradd --system --uid 10001 --gid fetchq --no-create-home fetchq \
 && mkdir -p /data/downloads && chown fetchq:fetchq /data/downloads
WORKDIR /app
# Layers from least to most often changed, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# The service's own JVM options (download-worker/jvm.options: a fixed heap), the same file scripts/run-local.sh and
# bench/run.sh use; empty for a service without one.
COPY --from=build /jvm.options ./jvm.options
USER 10001:10001
# JVM sizing for containers: the heap follows the container's memory limit (70 %, leaving room for metaspace,
# thread stacks, code cache and direct buffers) unless the service's jvm.options fixes it (an explicit -Xmx wins
# over the percentage); an OutOfMemoryError ends the process so the orchestrator restarts it instead of leaving a
# half-working JVM. /tmp must be writable (an emptyDir on Kubernetes, where the root filesystem is read-only).
# Override the whole variable to tune; JDK_JAVA_OPTIONS is read by the java launcher on top of it.
ENV FETCHQ_STORAGE_DIR=/data/downloads \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    JDK_JAVA_OPTIONS="@/app/jvm.options"
# Exec form: the JVM is PID 1 and receives SIGTERM itself, which starts Spring's graceful shutdown (drain).
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
