# syntax=docker/dockerfile:1
# One image recipe for both services: docker build --build-arg SERVICE=api-service|download-worker .
# Builds from source, so `docker compose up --build` works on a fresh Docker host.
ARG SERVICE=api-service

FROM eclipse-temurin:25-jdk-noble AS build
ARG SERVICE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY shared-model shared-model
COPY messaging messaging
COPY test-support test-support
COPY api-service api-service
COPY download-worker download-worker
COPY system-tests/pom.xml system-tests/pom.xml
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -DskipTests -Dspotless.check.skip=true -pl "${SERVICE}" -am package \
 && java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}.jar" extract --layers --launcher --destination /layers

FROM eclipse-temurin:25-jre-noble
RUN groupadd --system --gid 10001 fetchq && useradd --system --uid 10001 --gid fetchq --no-create-home fetchq \
 && mkdir -p /data/downloads && chown fetchq:fetchq /data/downloads
WORKDIR /app
# Layers from least to most often changed, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
ENV FETCHQ_STORAGE_DIR=/data/downloads \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# exec form: the JVM is PID 1's child-free process and receives SIGTERM directly for a graceful drain.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
