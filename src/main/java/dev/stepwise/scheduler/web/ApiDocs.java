package dev.stepwise.scheduler.web;

/**
 * Examples of the OpenAPI document.
 */
final class ApiDocs {

	static final String REGISTER_ONE_CYCLE = """
			{"id": "resnet50-run17",
			 "param_groups": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9}],
			 "scheduler": {"type": "OneCycleLR", "max_lr": [0.1, 0.01], "total_steps": 1000},
			 "last_epoch": 0}""";

	static final String REGISTER_PLATEAU = """
			{"id": "bert-finetune-3",
			 "param_groups": [{"lr": 0.001}],
			 "scheduler": {"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 3}}""";

	static final String REGISTER_HF_COSINE = """
			{"id": "llama-sft-7",
			 "param_groups": [{"lr": 0.0002}],
			 "scheduler": {"type": "cosine", "num_warmup_steps": 100, "num_training_steps": 10000}}""";

	static final String REGISTER_SEQUENTIAL = """
			{"param_groups": [{"lr": 0.1, "momentum": 0.9}],
			 "scheduler": {"type": "SequentialLR", "milestones": [5],
			   "schedulers": [{"type": "LinearLR", "start_factor": 0.01, "total_iters": 5},
			                  {"type": "CosineAnnealingLR", "T_max": 45}]}}""";

	static final String STEP_NEXT = """
			{"epoch": 41, "metric": 0.532}""";

	static final String STEP_NAN = """
			{"epoch": 42, "metric": NaN}""";

	static final String STEP_FRACTIONAL = """
			{"epoch": 10.25}""";

	static final String STEP_IMPLICIT = "{}";

	static final String STEP_COUNT = """
			{"epoch": 44, "count": 4, "metric": 0.532}""";

	static final String STEP_TOKENS = """
			{"consumed": 524288}""";

	private ApiDocs() {
	}

}
