package dev.stepwise;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Stepwise: a learning-rate schedule server that answers what
 * {@code torch.optim.lr_scheduler} would.
 */
@SpringBootApplication
public class StepwiseApplication {

	public static void main(String[] args) {
		SpringApplication.run(StepwiseApplication.class, args);
	}

}
