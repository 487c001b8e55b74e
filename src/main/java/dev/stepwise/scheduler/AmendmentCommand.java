package dev.stepwise.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.stepwise.schedule.ScheduleAmendment;
import org.jspecify.annotations.Nullable;

/**
 * What an amendment asks for: its id, the epoch it takes effect at (default: the
 * scheduler's {@code last_epoch} when it is posted), whether the lr is continuous there,
 * and the change. Stored as its {@link #document()}, from which a step that reaches a
 * pending amendment's epoch rebuilds it ({@link #of(Map)}).
 *
 * @param amendmentId the id that makes it idempotent
 * @param atEpoch the epoch, or {@code null} for the current one
 * @param continuous whether the new part starts from the lr in force
 * @param change the change
 */
public record AmendmentCommand(String amendmentId, @Nullable Long atEpoch, boolean continuous,
		ScheduleAmendment.Change change) {

	/** The request as a plain-Java document (canonical once written sorted). */
	public Map<String, Object> document() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("amendment_id", this.amendmentId);
		if (this.atEpoch != null) {
			document.put("at_epoch", this.atEpoch);
		}
		document.put("continuous", this.continuous);
		if (this.change instanceof ScheduleAmendment.NewSpec newSpec) {
			document.put("scheduler", newSpec.spec());
		}
		else if (this.change instanceof ScheduleAmendment.Extend extend) {
			document.put("extend", Map.of(extend.argument(), extend.total()));
		}
		else if (this.change instanceof ScheduleAmendment.DecayNow decay) {
			Map<String, Object> decayNow = new LinkedHashMap<>();
			decayNow.put("decay_steps", decay.decaySteps());
			decayNow.put("decay_type", decay.decayType());
			decayNow.put("min_lr_ratio", decay.minLrRatio());
			document.put("decay_now", decayNow);
		}
		return document;
	}

	/** Reads a stored {@link #document()}. */
	@SuppressWarnings("unchecked")
	public static AmendmentCommand of(Map<String, ?> document) {
		Object atEpoch = document.get("at_epoch");
		ScheduleAmendment.Change change;
		if (document.get("scheduler") instanceof Map<?, ?> spec) {
			change = new ScheduleAmendment.NewSpec((Map<String, ?>) spec);
		}
		else if (document.get("extend") instanceof Map<?, ?> extend) {
			Map.Entry<?, ?> total = extend.entrySet().iterator().next();
			change = new ScheduleAmendment.Extend((String) total.getKey(), ((Number) total.getValue()).longValue());
		}
		else {
			Map<String, ?> decay = (Map<String, ?>) document.get("decay_now");
			change = new ScheduleAmendment.DecayNow(((Number) decay.get("decay_steps")).longValue(),
					(String) decay.get("decay_type"), ((Number) decay.get("min_lr_ratio")).doubleValue());
		}
		return new AmendmentCommand((String) document.get("amendment_id"),
				(atEpoch != null) ? ((Number) atEpoch).longValue() : null,
				Boolean.TRUE.equals(document.get("continuous")), change);
	}

}
