package dev.stepwise.scheduler.web;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.schedule.ScheduleAmendment;
import dev.stepwise.scheduler.AmendmentCommand;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.Limits;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/schedulers/{id}/amendments}: exactly one of
 * {@code scheduler}, {@code extend} and {@code decay_now}.
 *
 * @param amendmentId the id that makes it idempotent
 * @param atEpoch the epoch it takes effect at, or {@code null} for the current one
 * @param continuous whether the lr is continuous there (default true)
 * @param scheduler a new spec for the rest of the run
 * @param extend the type's length argument and the new total
 * @param decayNow a decay from now
 */
@Schema(name = "AmendmentRequest",
		description = "A change of the schedule from an epoch on: exactly one of scheduler," + " extend and decay_now.")
record AmendmentRequest(
		@Schema(description = "Makes the amendment idempotent: every rank may post the same one; the"
				+ " same id with the same body again answers 200 and changes nothing, with another body 409"
				+ " amendment-conflict. Printable ASCII without spaces, 1 to 200 characters.",
				example = "extend-to-15k",
				requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("amendment_id") @NotNull @Pattern(
						regexp = Limits.ATTEMPT_PATTERN) String amendmentId,
		@Schema(description = "The epoch it takes effect at: the schedule in force up to it, the new one from it (its"
				+ " own epoch 0 there). At or after the scheduler's last_epoch (an earlier one, which a rank may have"
				+ " passed, is 409 amendment-conflict); absent: the current last_epoch, applied at once. A later"
				+ " epoch is pending: the step that reaches it applies it, whichever rank and replica posts that"
				+ " step. At most one amendment is pending at a time.", example = "12000", nullable = true,
				minimum = "0") @JsonProperty("at_epoch") @Min(0) @Nullable Long atEpoch,
		@Schema(description = "true (default): the new part starts from the lr in force at at_epoch (scheduler,"
				+ " decay_now: constructed on the groups at that lr; extend: scaled to it). false: scheduler and"
				+ " decay_now start from the registered lrs, extend is the schedule as registered with the new total.",
				example = "true", nullable = true) @Nullable Boolean continuous,
		@Schema(ref = "#/components/schemas/SchedulerSpec",
				description = "The rest of the run follows this spec, constructed at at_epoch.",
				nullable = true) @Nullable Map<String, Object> scheduler,
		@Schema(description = "The schedule lasts longer: one entry, the type's length argument (total_steps, T_max,"
				+ " num_training_steps, total_iters) and the new total, counted from the registration and beyond"
				+ " at_epoch. lr(t) = x · new(t) / new(E), new being the schedule as registered with that total, x"
				+ " the lr in force at E = at_epoch.", example = "{\"total_steps\": 15000}",
				nullable = true) @Nullable Map<String, Object> extend,
		@Schema(description = "A decay from the lr in force, for warmup_stable_decay in its stable phase, constant,"
				+ " constant_with_warmup after its warmup, ConstantLR after total_iters, ReduceLROnPlateau and"
				+ " reduce_lr_on_plateau.",
				nullable = true) @JsonProperty("decay_now") @Valid @Nullable DecayNowBody decayNow) {

	AmendmentCommand toCommand() {
		int given = ((this.scheduler != null) ? 1 : 0) + ((this.extend != null) ? 1 : 0)
				+ ((this.decayNow != null) ? 1 : 0);
		if (given != 1) {
			throw InvalidRequestException.malformed((this.scheduler != null) ? "scheduler" : "extend",
					"give exactly one of scheduler, extend and decay_now (got " + given + ")");
		}
		ScheduleAmendment.Change change;
		if (this.scheduler != null) {
			change = new ScheduleAmendment.NewSpec(SpecJson.scheduler(this.scheduler));
		}
		else if (this.extend != null) {
			change = extension(this.extend);
		}
		else {
			DecayNowBody decay = this.decayNow;
			change = new ScheduleAmendment.DecayNow(decay.decaySteps(),
					(decay.decayType() != null) ? decay.decayType() : "cosine",
					(decay.minLrRatio() != null) ? decay.minLrRatio() : 0.0);
		}
		return new AmendmentCommand(this.amendmentId, this.atEpoch, !Boolean.FALSE.equals(this.continuous), change);
	}

	private static ScheduleAmendment.Extend extension(Map<String, Object> extend) {
		if (extend.size() != 1) {
			throw new InvalidRequestException("extend",
					"must hold one entry, the length argument and its new total, e.g. {\"total_steps\": 15000}");
		}
		Map.Entry<String, Object> entry = extend.entrySet().iterator().next();
		Object total = entry.getValue();
		boolean integral = total instanceof Integer || total instanceof Long
				|| (total instanceof Number number && !(total instanceof java.math.BigInteger)
						&& number.doubleValue() == Math.rint(number.doubleValue())
						&& Math.abs(number.doubleValue()) < 0x1p62);
		if (!integral) {
			throw new InvalidRequestException("extend." + entry.getKey(), "must be an integer number of steps");
		}
		return new ScheduleAmendment.Extend(entry.getKey(), ((Number) total).longValue());
	}

	/**
	 * {@code decay_now}.
	 *
	 * @param decaySteps the steps of the decay
	 * @param decayType its shape
	 * @param minLrRatio the floor as a fraction of the lr in force
	 */
	@Schema(name = "DecayNow",
			description = "lr(E + s) = x · (r + (1 − r) · f(s / n)) for 0 <= s <= n, then x · r, where x is the lr in"
					+ " force at E = at_epoch, n = decay_steps, r = min_lr_ratio and f Hugging Face WSD's decay shape:"
					+ " linear 1 − p, cosine (1 + cos(π p)) / 2, 1-sqrt 1 − √p.")
	record DecayNowBody(@Schema(description = "n, the steps of the decay, at least 1.", example = "1000",
			requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("decay_steps") @NotNull @Min(1) Long decaySteps,
			@Schema(description = "f, the shape: linear, cosine (default) or 1-sqrt.", example = "linear",
					nullable = true, allowableValues = {
							"linear", "cosine", "1-sqrt" }) @JsonProperty("decay_type") @Nullable String decayType,
			@Schema(description = "r, the floor as a fraction of x, 0 (default) to 1.", example = "0.1",
					nullable = true) @JsonProperty("min_lr_ratio") @Nullable Double minLrRatio){
	}

}
