# syntax=docker/dockerfile:1
# One image for every StarDust deployable (the command selects the process: gateway, streams, registry-mirror,
# watcher, reconciler, liberator, chronicler, serve, bootstrap, ...), and a Kafka Connect worker image with the
# StarDust sink plugin. Used by compose/docker-compose.yml.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -T1 -DskipTests package

FROM eclipse-temurin:17-jre AS stardust
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/stardust stardust \
    && mkdir -p /var/lib/stardust/run /var/lib/stardust/artifacts /var/lib/stardust/drop /var/lib/stardust/streams \
    && chown -R stardust /var/lib/stardust
COPY --from=build /src/bin/stardust /opt/stardust/bin/stardust
COPY --from=build /src/compose/probe /opt/stardust/bin/probe
COPY --from=build /src/cli/target/stardust-cli.jar /opt/stardust/cli/target/stardust-cli.jar
COPY --from=build /src/cli/target/lib /opt/stardust/cli/target/lib
USER stardust
WORKDIR /var/lib/stardust
ENV STARDUST_PID_FILE_DIR=/var/lib/stardust/run STARDUST_ARTIFACT_DIR=/var/lib/stardust/artifacts
ENTRYPOINT ["/opt/stardust/bin/stardust"]
CMD ["--help"]

FROM apache/kafka:4.3.1 AS connect
COPY --from=build /src/connect-sink/target/plugin/stardust-connect-sink /opt/stardust/connect-plugins/stardust-connect-sink
COPY compose/connect-distributed.properties /opt/stardust/connect-distributed.properties
EXPOSE 8083
CMD ["/opt/kafka/bin/connect-distributed.sh", "/opt/stardust/connect-distributed.properties"]
