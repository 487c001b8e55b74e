# syntax=docker/dockerfile:1
# Stepwise: build with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#   docker build -t stepwise .
#   docker run -p 8080:8080 -v stepwise-data:/data stepwise
# or, with PostgreSQL: docker compose up

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, in a layer of their own: it is rebuilt only when pom.xml or the wrapper change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q -DskipTests package && cp target/stepwise-*.jar /src/stepwise.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system stepwise \
	&& useradd --system --gid stepwise --home-dir /app --no-create-home --shell /usr/sbin/nologin stepwise \
	&& mkdir -p /app /data \
	&& chown stepwise:stepwise /data
WORKDIR /app
COPY --from=build /src/stepwise.jar /app/stepwise.jar
USER stepwise
# The H2 database (default profile) and anything else the service keeps on disk; the variable is
# the default of --stepwise.data-dir, which an argument after the image name overrides.
VOLUME /data
ENV STEPWISE_DATA_DIR=/data
EXPOSE 8080
# A bounded heap, small thread stacks, capped native areas, two malloc arenas (instead of 8 per core)
# and a fixed mmap threshold (large native buffers go back to the system when freed) keep the resident
# set under 512 MB under load, also with 10 million steps in H2 (bench/run.sh measures it with these).
# A young generation of 64 MB with large survivor spaces: a step's garbage (H2's page copies,
# request buffers) dies young instead of filling the old generation, whose full collections
# (~100 ms with the serial collector) would otherwise dominate the p99. Not more: the old generation
# (160 MB) must hold what held connections keep (1,000 stalled clients keep about 60 MB of Tomcat's
# buffers); with half the heap young (112 MB old) it was full, and a full collection ran every second. maxCachedBufferSize stops
# every request thread from keeping a native copy of the largest file read it ever made (H2 pages).
# AlwaysPreTouch makes the whole heap resident at startup, so the resident set is the same from the
# first request on (about 440 MB idle, 490 MB under load) instead of creeping up as the old
# generation is first used.
# JAVA_OPTS replaces the flags (docker run -e JAVA_OPTS="-Xmx512m ..."); arguments after the image
# name go to the service (e.g. --spring.profiles.active=postgres).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
ENV JAVA_OPTS="-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/stepwise.jar \"$@\"", "stepwise"]
# bash's /dev/tcp: no curl or wget needed in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
	CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200'"]
