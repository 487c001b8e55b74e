package dev.stepwise.schedule;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One scheduler type the API takes: its name, what it does and its keyword arguments,
 * declared once next to its formula and read back by {@link ArgumentReader}.
 *
 * @param name the value of {@code type}
 * @param description what it does, naming the PyTorch class or Hugging Face function
 * @param summary what the lr does, one line of Markdown for the README's table
 * @param arguments its keyword arguments, in the order of the normalised spec
 * @param length how many steps a schedule of this type lasts, read from its arguments
 * @param takesUnits whether its lr is a closed form of its position, so that its
 * schedules may count the position in tokens or samples ({@link ScheduleUnit}); declared
 * with {@link #takingUnits()}
 */
public record SchedulerType(String name, String description, String summary, List<KeywordArgument> arguments,
		ScheduleLength length, boolean takesUnits) {

	/** A type whose schedules have no length. */
	public SchedulerType(String name, String description, String summary, List<KeywordArgument> arguments) {
		this(name, description, summary, arguments, ScheduleLength.NONE);
	}

	/** A type that counts steps only. */
	public SchedulerType(String name, String description, String summary, List<KeywordArgument> arguments,
			ScheduleLength length) {
		this(name, description, summary, arguments, length, false);
	}

	/** Checks that every argument is declared once ({@code type} is not an argument). */
	public SchedulerType {
		arguments = List.copyOf(arguments);
		Set<String> names = new HashSet<>();
		names.add("type");
		for (KeywordArgument argument : arguments) {
			if (!names.add(argument.name())) {
				throw new IllegalArgumentException(name + " declares '" + argument.name() + "' twice");
			}
		}
	}

	static SchedulerType torch(String name, String description, String summary, KeywordArgument... arguments) {
		return new SchedulerType(name, "torch.optim.lr_scheduler." + name + ": " + description, summary,
				List.of(arguments));
	}

	static SchedulerType huggingFace(String name, String description, String summary, List<KeywordArgument> arguments) {
		return new SchedulerType(name, "Hugging Face " + description, summary, arguments);
	}

	/** This type, whose schedules last {@code length} steps. */
	SchedulerType lasting(ScheduleLength length) {
		return new SchedulerType(this.name, this.description, this.summary, this.arguments, length, this.takesUnits);
	}

	/**
	 * This type, whose lr is a closed form of the position: a registration may declare
	 * {@code "unit": "tokens"} or {@code "samples"} for it, and each step then moves the
	 * position by what it consumed. Its scheduler must evaluate the lr at any position
	 * ({@link LrScheduler#stepAt}; every {@link Chainable} whose {@code lr()} reads
	 * {@code last_epoch} alone does). Its step arguments ({@code num_warmup_steps},
	 * {@code num_training_steps}, ...) are then in that unit.
	 */
	SchedulerType takingUnits() {
		return new SchedulerType(this.name, this.description, this.summary, this.arguments, this.length, true);
	}

	/** The declared argument called {@code name}. */
	public Optional<KeywordArgument> argument(String name) {
		return this.arguments.stream().filter((argument) -> argument.name().equals(name)).findFirst();
	}

	/** The argument names, in declared order. */
	public List<String> argumentNames() {
		return this.arguments.stream().map(KeywordArgument::name).toList();
	}

}
