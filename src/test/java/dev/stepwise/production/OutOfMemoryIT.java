package dev.stepwise.production;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar, started with a bare {@code java -jar} (no {@code -XX:+ExitOnOutOfMemoryError})
 * and a small heap, runs out of memory for real under concurrent registrations of the
 * largest size the API takes: the process must end, with status 3 and its log line,
 * instead of going on half-dead.
 * <p>
 * With its defaults the service admits no more than its memory budget (a quarter of the
 * heap) and a few computations at once, so these registrations end in 201, 503 or 422
 * ({@code MemoryAdmissionIT}). To still prove that a real OutOfMemoryError halts the
 * process, this one is configured as no one should: a budget of 4 GB on a 96 MB heap, 64
 * computation slots and 64 waiting, so that admission lets through what the heap cannot
 * hold.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutOfMemoryIT {

	/**
	 * Nearly 1 MB of empty objects in a registration, the JSON that takes the most memory
	 * to parse (about 20 MB each): sixteen at once, all admitted, exhaust a small heap.
	 */
	private static final String LARGEST_REGISTRATION = "{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\":"
			+ " {\"type\": \"StepLR\", \"step_size\": 3, \"x\": [" + "{},".repeat(330_000) + "{}]}}";

	@Test
	void anOutOfMemoryErrorEndsTheProcess() throws Exception {
		Path data = ServiceProcess.WORK.resolve("oom-" + System.nanoTime());
		try (ServiceProcess service = ServiceProcess.start("oom", data, Database.h2(),
				List.of("-Xmx96m", "-Dstepwise.compute.memory-budget=4GB", "-Dstepwise.compute.concurrency=64",
						"-Dstepwise.compute.max-waiting=64"))) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			HttpRequest preview = HttpRequest.newBuilder(service.base().resolve(URI.create("/api/v1/schedulers")))
				.header("Content-Type", "application/json")
				.timeout(Duration.ofSeconds(60))
				.POST(HttpRequest.BodyPublishers.ofString(LARGEST_REGISTRATION))
				.build();
			int exit = -1;
			for (int round = 0; round < 20 && exit < 0; round++) {
				List<CompletableFuture<HttpResponse<Void>>> previews = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					previews.add(client.sendAsync(preview, HttpResponse.BodyHandlers.discarding()));
				}
				for (CompletableFuture<HttpResponse<Void>> response : previews) {
					response.handle((answer, failure) -> answer).join();
				}
				exit = service.awaitExit(Duration.ofSeconds(1));
			}
			assertThat(exit).as("exit status; log:%n%s", service.logTail(40)).isEqualTo(3);
			assertThat(service.logTail(200)).contains("halting with status 3");
		}
	}

}
