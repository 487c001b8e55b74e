package dev.stepwise.scheduler.commit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code stepWriters} in {@code /actuator/health}: DOWN while a step writer that died has
 * not been replaced yet. Part of the readiness group, so a load balancer sends steps to
 * other replicas meanwhile.
 */
@Component("stepWriters")
class StepWritersHealth implements HealthIndicator {

	private final StepWriter writer;

	StepWritersHealth(StepWriter writer) {
		this.writer = writer;
	}

	@Override
	public Health health() {
		Health.Builder health = (!this.writer.isRunning() || this.writer.alive() == this.writer.writers()) ? Health.up()
				: Health.down();
		return health.withDetail("writers", this.writer.writers())
			.withDetail("alive", this.writer.alive())
			.withDetail("deaths", this.writer.deaths())
			.build();
	}

}
