package dev.stepwise.scheduler.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The number must be finite (not NaN, not infinite); {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = Finite.Validator.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@interface Finite {

	String message() default "must be a finite number";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/**
	 * Validates {@link Finite}.
	 */
	class Validator implements ConstraintValidator<Finite, Double> {

		@Override
		public boolean isValid(Double value, ConstraintValidatorContext context) {
			return value == null || Double.isFinite(value);
		}

	}

}
