package dev.stepwise.system;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the service, under {@code stepwise.*}.
 *
 * @param dataDir the directory of the default H2 database file (used when
 * {@code STEPWISE_DATABASE_URL} is not set)
 * @param maxRequestSize the largest request body accepted; larger ones get 413
 * @param scheduleCacheSize how many compiled schedules are kept in memory
 */
@ConfigurationProperties("stepwise")
public record StepwiseProperties(@DefaultValue("./data") String dataDir, @DefaultValue("1MB") DataSize maxRequestSize,
		@DefaultValue("10000") int scheduleCacheSize) {

}
