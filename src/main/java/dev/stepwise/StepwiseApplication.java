package dev.stepwise;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Stepwise: a learning-rate schedule server that answers what
 * {@code torch.optim.lr_scheduler} would.
 */
// no users and passwords: requests authenticate with bearer tokens (dev.stepwise.access)
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class StepwiseApplication {

	public static void main(String[] args) {
		SpringApplication.run(StepwiseApplication.class, args);
	}

}
