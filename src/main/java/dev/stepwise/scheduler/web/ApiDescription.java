package dev.stepwise.scheduler.web;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.stepwise.scheduler.Limits;
import dev.stepwise.system.StepwiseProperties;

/**
 * The description of the OpenAPI document: the contract's conventions and the choices
 * made where it is silent.
 */
final class ApiDescription {

	private static final String TEXT = """
			Stepwise answers what torch.optim.lr_scheduler (and Hugging Face's get_scheduler schedules) would, for \
			distributed training jobs: register a schedule, post each step with its validation metric, and read \
			the lr every rank must use. State is stored in a database, so a crashed job resumes exactly.

			**Conventions.** JSON with snake_case names; inside `scheduler`, PyTorch's keyword arguments. \
			Numbers are IEEE doubles. A `metric` may be NaN, Infinity or -Infinity, as bare tokens (Python's \
			json.dumps) or as strings, and is treated as PyTorch treats float('nan') / float('inf'). State \
			documents write non-finite numbers as the strings "NaN", "Infinity", "-Infinity" and read both forms. \
			Scheduler arguments must be finite.

			**Authentication** is on when the service has an admin token (STEPWISE_AUTH_ADMIN_TOKEN; off by \
			default on the embedded H2 database). Then every /api request needs Authorization: Bearer <token>: \
			the admin token, or one it minted (POST /api/v1/tokens) with a scope, an id pattern in which * stands \
			for any run of id characters (resnet50-*), and read or write access. A write token may register, step, \
			resume, PUT the state of and delete the schedulers its scope matches, and read them; a read token may \
			read them; both may list (only what the scope matches) and preview. No token is 401 unauthorized with \
			WWW-Authenticate: Bearer; an unknown, expired or revoked one 401 with error="invalid_token"; a \
			scheduler outside the scope or a change with a read token 403 forbidden. The scope is checked before \
			any lookup: a 403 does not tell whether the id exists. A revocation holds on every replica at once.

			**Tracing.** Any request may carry a W3C Trace Context `traceparent` (and `tracestate`) header: \
			when the service's tracing is on, its spans (a step's queue, lock, engine and commit) join that \
			trace; otherwise the headers are ignored. They are never required.

			**Errors** are RFC 9457 problems (application/problem+json) with a stable `type` per kind and \
			`errors: [{field, message}]` for argument problems. Unknown fields are refused everywhere, also \
			outside `scheduler` (a misspelt `epoch` is refused, not ignored). Requests the server refuses before \
			the API sees them (an encoded slash, bad percent-encoding or UTF-8 in the path, a malformed request \
			line or header, one too large) and `/error` itself are problems too, never HTML. The types:

			%s

			**Limits.** Request body 1 MiB; param_groups 1 to %d; lr >= 0 and finite, momentum finite; ids \
			`%s`; a fast-forward (last_epoch) of at most %,d steps; epochs \
			from 0 to 2^53; list size <= %d and page x size <= 2^31 - 1, id_contains <= %d characters; history limit <= %d, \
			history points from 2 to %,d; preview steps <= %d with (steps + 1) x \
			param groups <= %,d and at most one metric per step; list arguments such as milestones <= %,d \
			entries; at most %d schedulers in one SequentialLR or ChainedScheduler, and schedulers (nested ones \
			included) x param groups <= %,d (a stepwise.PerGroup holds one scheduler per param group, each counted \
			on its one group, plus 1 per group for itself); an expression <= 1,000 characters, and the lr_lambda expressions of one \
			scheduler (nested ones included) <= %,d characters in all. **Cost.** What a registration or preview computes is priced before \
			any of it is done, in work units of about one scheduler step of one group: (param groups + 8) x \
			(fast-forward + (steps + 1) x (weight + 5 x schedulers)), the weight counting each scheduler and each \
			token of its expressions, the 5 per scheduler the state each step builds, a fast-forward costing its \
			stepped steps so (types with a closed form jump for about 1, recursions replayed in place cost their \
			weight). \
			Above %,d units the request is 422 invalid-argument naming the limit and its cost. Previews are \
			computed a few at a time; when every slot is taken and enough wait, a preview is 503 with Retry-After.

			**Rate limits.** Each client has a token bucket per replica: a request takes a token, and a bucket \
			refills at stepwise.rate-limit.requests-per-second (%s by default) up to stepwise.rate-limit.burst \
			(%s) tokens, the requests a client may send at once. A request that finds its bucket empty is 429 \
			rate-limited with Retry-After (whole seconds, at least 1, until its next token) and did nothing: \
			retry it as it was. A client is its bearer token (Authorization: Bearer ..., every rank of a job \
			sharing one); requests without one are not limited by default (a single machine's training, a \
			local benchmark), or each remote address is a client with stepwise.rate-limit.anonymous=true. \
			The defaults let a job of a few hundred ranks that each post a step and read the lr a few times a \
			second (and all post at once at a step boundary) through untouched, and hold a runaway job to a \
			share of a replica, so that it cannot starve the others. The health probes, Actuator and this \
			document are never limited.

			**Registration** is idempotent by id: an identical body (same param_groups, scheduler and last_epoch; \
			key order, a missing vs null momentum and last_epoch -1 vs 0 do not matter; 1 and 1.0 do) answers 200 \
			with the current resource, so every rank may register; a different body is 409.

			**Steps** are idempotent by epoch: an epoch already stepped to is answered from the history \
			(`replayed: true`), and concurrent posts for one scheduler are serialised. CosineAnnealingWarmRestarts \
			takes fractional epochs (scheduler.step(epoch + i / iters)) above its current position, as long as \
			they skip no whole epoch; every later step of it that names its epoch uses PyTorch's step(epoch). \
			Every other type refuses a fractional epoch (422). An acknowledged step is stored; a failed one \
			changes nothing.

			**Many steps in one request**: a step with `count: k` takes k steps with the same metric (and the \
			same consumed), atomically (a step PyTorch refuses takes none of them), recorded as k history \
			records and answered with the last state; its `epoch` names the last_epoch of the last step, so a \
			retry of the same request is answered from the history (k steps to an epoch some of whose steps \
			were taken already is 409). k and k x the state's size are bounded (the count field says by what), \
			and so is their cost by the work limit (422 naming count).

			**Schedules in tokens or samples**: a spec of a type with a closed form in its position (Hugging \
			Face's schedules but reduce_lr_on_plateau; see each spec's unit) may say `"unit": "tokens"` or \
			`"samples"`. Every step then posts `consumed` (a positive integer, per step with count; 400 \
			without it), and the lr is the closed form at the total consumed so far instead of the step count: \
			its num_warmup_steps, num_training_steps, ... are in that unit. Posting 1 at every step is the \
			schedule in steps, bit for bit. Steps, GET .../lr, the history and the state document show \
			`consumed`; resume and PUT .../state restore it; previews take `consumed` (one per step, or one for \
			all). A unit on another type is 422 naming scheduler.unit and scheduler.type; consumed on a \
			schedule in steps is 422; such a schedule registers at last_epoch 0.

			**Resume and state.** Resume returns to the last record of the given epoch (its end, after fractional \
			steps) and discards the later history. PUT .../state replaces the whole state and records it, without \
			a metric, at its last_epoch (the history after it is discarded); a later replay of that epoch must \
			then come without a metric. It restores a position, not a schedule: its hyperparameters must be the \
			registered ones (422 invalid-state naming each differing key), and its values ones stepping could \
			reach (finite, lr >= 0, counters up to 2^53).

			**Training attempts** tell a fresh start from an attach. An attempt is one launch of a training job: \
			every rank of it sends the same `attempt` id (the Python client takes \
			`{TORCHELASTIC_RUN_ID}/{TORCHELASTIC_RESTART_COUNT}` under torchrun), in the registration, each \
			step and resume (a body field) and state PUT (`?attempt=`). The rules: \
			(1) A registration with an attempt the scheduler has not seen *adopts* it: it becomes the current \
			attempt, superseding the one before, and the scheduler stands at the schedule's start (last_epoch 0, \
			or the registered fast-forward) while the superseded attempts' history is kept. GET .../lr answers \
			the start from then on. A registration with the current attempt changes nothing. With an attempt, the \
			registration's answer holds the schedule's start (what a torch scheduler holds right after \
			construction), also for a rank that registers after others of its attempt stepped: its steps are then \
			replays. (2) The attempt *starts* with the first of: a step, which starts it without a checkpoint, \
			from the schedule's start (the superseded history after the start is discarded, the start is \
			recorded again as the attempt's), whichever rank posts it, once: the other ranks' posts of that epoch \
			are replays; a resume, which may return to any recorded epoch until then (the superseded attempts' \
			history included); a state PUT. (3) Once the attempt restored an epoch (resume or state PUT), a resume \
			of that same epoch by the attempt, or a state PUT of it whose document is the state recorded for it, \
			answers the recorded state and changes nothing (every rank loads the checkpoint, maybe after another \
			rank stepped on); another epoch, or another state, is restored as usual. (4) Steps, resumes and state PUTs of any other attempt than the current one, and registrations \
			of an attempt that was superseded, are 409 `stale-attempt` (`attempt` names the current one): a \
			zombie rank of an earlier attempt can neither move nor reset the schedule. (5) Each history record \
			names the attempt that took it (`attempt`); GET .../attempts lists the attempts, how and where each \
			started and when it was superseded. (6) Requests without an attempt are not checked and work as \
			before; the attempt is not part of the body compared on re-registration, and a step without one, \
			posted while an adopted attempt has not started, starts it from the schedule's start (the later \
			history cut) as that attempt's own first step would. Deleting a scheduler \
			forgets its attempts.

			**Charts** (the dashboard reads these): GET /api/v1/scheduler-types lists every type with its \
			arguments as the API validates them (cacheable: ETag, Cache-Control). GET /api/v1/schedulers takes \
			id_contains, sort (created_at, id, updated_at, last_epoch) and direction, and each item has a summary \
			(the current lr of each group, the latest metric, the schedule's length where its type has one). \
			GET .../history?points=N answers a whole range of any length in one response of at most N real \
			records that keep the curves' shape (M4), read as a stream in bounded memory. GET .../attempts lists \
			the latest resumes and state PUTs (restores), the epochs where the history was cut.

			**Finite at registration.** A registration or preview whose own state has a non-finite lr (an \
			lr_lambda or scale_fn that gives inf or NaN at construction, or a fast-forward that reaches one) is \
			422 invalid-argument, where PyTorch would take it; a later step that reaches inf or NaN is taken as \
			PyTorch takes it.
			""";

	/**
	 * Amendments (issue 15): kept apart so that the other parts' paragraphs merge easily.
	 */
	private static final String AMENDMENTS = """

			**Amendments** (POST .../amendments) change the rest of a run from an epoch E = `at_epoch` (at or \
			after last_epoch; absent: last_epoch, applied at once). The schedule in force up to E is kept; from E \
			a new one takes over, its own epoch 0 at E, and x is each group's lr in force at E. Exactly one of: \
			`scheduler`, a new spec constructed at E on the groups at x (continuous, the default) or at the \
			registered lrs (`continuous: false`); `extend`, `{"<length argument>": T}` with the type's length \
			argument (total_steps, T_max, num_training_steps, total_iters), T beyond E: the schedule as registered \
			with that total, new, taken from E with lr(t) = x · new(t) / new(E) (continuous; for a linear decay \
			exactly the remainder stretched to end at T; `continuous: false` gives new(t) itself); `decay_now`, \
			`{decay_steps: n, decay_type: f, min_lr_ratio: r}`: lr(E + s) = x · (r + (1 − r) · f(s/n)) for \
			0 <= s <= n, then x · r, f Hugging Face WSD's linear 1 − p, cosine (1 + cos(π p))/2 or 1-sqrt 1 − √p, \
			for warmup_stable_decay in its stable phase, constant, constant_with_warmup after its warmup, \
			ConstantLR after total_iters, ReduceLROnPlateau and reduce_lr_on_plateau (422 naming decay_now \
			elsewhere). Ranks agree because an amendment is anchored to E: one at a later epoch is pending \
			(one at a time), and the step that reaches E applies it in the same transaction, on whichever \
			replica; an E below last_epoch, which a rank may have passed, is 409 amendment-conflict naming \
			at_epoch. `amendment_id` makes it idempotent (the same body again: 200; another body: 409). GET of \
			the scheduler shows `scheduler_in_force` and `amendments` (pending, applied, undone, failed); the \
			history record of E holds the amended state; state documents of an amended run count last_epoch \
			from the registration (an extension's also hold each group's `unscaled_lr`) and round-trip through \
			PUT .../state. A resume or state PUT to an epoch before E undoes the amendment (`undone`; posting \
			its id again reopens it). At most %d amendments per scheduler.
			""";

	private ApiDescription() {
	}

	/** One line per problem type: its status, its type and when it is answered. */
	private static String problemTypes() {
		return Stream.of(ProblemType.values())
			.map((type) -> "- " + type.status().value() + " `" + type.slug() + "`: " + type.meaning() + ".")
			.collect(Collectors.joining("\n"));
	}

	/**
	 * The description, with the problem types of {@link ProblemType}, the limits of
	 * {@link Limits} and the rate limit's defaults.
	 */
	static String text() {
		return String.format(Locale.ROOT, TEXT, problemTypes(), Limits.MAX_PARAM_GROUPS, Limits.ID_PATTERN,
				Limits.MAX_FAST_FORWARD, Limits.MAX_PAGE_SIZE, Limits.MAX_ID_FILTER, Limits.MAX_HISTORY_LIMIT,
				Limits.MAX_HISTORY_POINTS, Limits.MAX_PREVIEW_STEPS, Limits.MAX_PREVIEW_VALUES, Limits.MAX_LIST_ENTRIES,
				Limits.MAX_CHILDREN, Limits.MAX_STATE_SIZE, Limits.MAX_EXPRESSION_CHARACTERS, Limits.MAX_WORK,
				StepwiseProperties.RateLimit.DEFAULT_REQUESTS_PER_SECOND, StepwiseProperties.RateLimit.DEFAULT_BURST)
				+ AMENDMENTS.formatted(Limits.MAX_AMENDMENTS);
	}

}
