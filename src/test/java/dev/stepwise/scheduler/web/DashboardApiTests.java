package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.stepwise.schedule.SchedulerCatalogue;
import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.Amendments;
import dev.stepwise.scheduler.DownsampledHistory;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.RestoreRecord;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerPage;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.SchedulerSort;
import dev.stepwise.scheduler.SchedulerSummary;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * What the dashboard reads over HTTP: the scheduler types, the list's filter, sort and
 * summaries, the downsampled history and the restores beside the attempts, and the
 * problems of their parameters.
 */
@ApiSliceTest
class DashboardApiTests {

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Autowired
	private AmendmentService amendments;

	@Test
	void schedulerTypesComeFromTheCatalogueWithTheirArguments() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/scheduler-types").exchange();
		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson()
			.extractingPath("$.types[*].name")
			.asArray()
			.containsExactlyElementsOf(SchedulerCatalogue.names());
		String maxLr = "$.types[?(@.name == 'OneCycleLR')].arguments[?(@.name == 'max_lr')]";
		assertThat(result).bodyJson().extractingPath(maxLr + ".kind").isEqualTo(List.of("number_or_list"));
		assertThat(result).bodyJson().extractingPath(maxLr + ".required").isEqualTo(List.of(true));
		assertThat(result).bodyJson().extractingPath(maxLr + ".default").isEqualTo(Arrays.asList((Object) null));
		assertThat(result).bodyJson()
			.extractingPath(maxLr + ".meaning")
			.isEqualTo(List.of("Peak lr. A number for every group or a list with one per group."));
		String anneal = "$.types[?(@.name == 'OneCycleLR')].arguments[?(@.name == 'anneal_strategy')]";
		assertThat(result).bodyJson().extractingPath(anneal + ".kind").isEqualTo(List.of("enum"));
		assertThat(result).bodyJson().extractingPath(anneal + ".default").isEqualTo(List.of("cos"));
		assertThat(result).bodyJson().extractingPath(anneal + ".choices").isEqualTo(List.of(List.of("cos", "linear")));
		assertThat(result).bodyJson()
			.extractingPath("$.types[?(@.name == 'StepLR')].arguments[?(@.name == 'gamma')].default")
			.isEqualTo(List.of(0.1));
		assertThat(result).bodyJson()
			.extractingPath("$.types[?(@.name == 'StepLR')].summary")
			.isEqualTo(List.of(SchedulerCatalogue.named("StepLR").orElseThrow().summary()));
	}

	@Test
	void schedulerTypesAreCacheableByETag() {
		MvcTestResult first = this.mvc.get().uri("/api/v1/scheduler-types").exchange();
		String etag = first.getResponse().getHeader("ETag");
		assertThat(etag).startsWith("\"types-");
		assertThat(first).headers().hasValue("Cache-Control", "max-age=3600, private");
		MvcTestResult again = this.mvc.get().uri("/api/v1/scheduler-types").header("If-None-Match", etag).exchange();
		assertThat(again).hasStatus(HttpStatus.NOT_MODIFIED);
		assertThat(again.getResponse().getContentAsByteArray()).isEmpty();
		assertThat(this.mvc.get().uri("/api/v1/scheduler-types").header("If-None-Match", "\"other\"").exchange())
			.hasStatusOk();
	}

	@Test
	void theListTakesItsFilterSortAndDirection() {
		SchedulerListQuery query = new SchedulerListQuery(1, 10, "run_1", SchedulerSort.LAST_EPOCH, true);
		given(this.schedulers.list(IdScope.EVERYTHING, query))
			.willReturn(new SchedulerPage(List.of(SchedulerControllerTests.listed()), 1, 10, 11, 2));
		assertThat(this.mvc.get()
			.uri("/api/v1/schedulers?page=1&size=10&id_contains=run_1&sort=last_epoch&direction=asc")
			.exchange()).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"total_items\": 11, \"items\": [{\"id\": \"run-1\"}]}");
	}

	@Test
	void eachSortHasItsDefaultDirection() {
		given(this.schedulers.list(any(), any())).willReturn(new SchedulerPage(List.of(), 0, 20, 0, 0));
		for (SchedulerSort sort : SchedulerSort.values()) {
			this.mvc.get().uri("/api/v1/schedulers?sort=" + sort.parameter()).exchange();
			then(this.schedulers).should()
				.list(IdScope.EVERYTHING, new SchedulerListQuery(0, 20, null, sort, sort.ascendingByDefault()));
		}
		assertThat(SchedulerSort.ID.ascendingByDefault()).isTrue();
		assertThat(SchedulerSort.CREATED_AT.ascendingByDefault()).isFalse();
		// an empty filter filters nothing
		this.mvc.get().uri("/api/v1/schedulers?id_contains=&direction=asc").exchange();
		then(this.schedulers).should()
			.list(IdScope.EVERYTHING, new SchedulerListQuery(0, 20, null, SchedulerSort.CREATED_AT, true));
	}

	@Test
	void eachItemOfTheListHasItsSummary() {
		given(this.schedulers.list(IdScope.EVERYTHING, SchedulerListQuery.newestFirst(0, 20)))
			.willReturn(new SchedulerPage(List.of(new SchedulerPage.Listed(SchedulerControllerTests.details(),
					new SchedulerSummary(List.of(0.1, Double.NaN), 0.5, 1000L))), 0, 20, 1, 1));
		assertThat(this.mvc.get().uri("/api/v1/schedulers").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.items[0].summary")
			.isEqualTo(java.util.Map.of("lrs", List.of(0.1, "NaN"), "last_metric", 0.5, "total_steps", 1000));
	}

	@Test
	void aSchedulerReadAloneHasNoSummary() {
		given(this.schedulers.get("run-1")).willReturn(SchedulerControllerTests.details());
		given(this.amendments.amendments("run-1")).willReturn(new Amendments("{}", List.of()));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1").exchange()).hasStatusOk()
			.bodyText()
			.doesNotContain("summary");
	}

	@Test
	void unknownSortsDirectionsAndLongFiltersAre400NamingTheParameter() {
		given(this.schedulers.list(any(), any())).willReturn(new SchedulerPage(List.of(), 0, 20, 0, 0));
		MvcTestResult sort = this.mvc.get().uri("/api/v1/schedulers?sort=name").exchange();
		assertProblem(sort, 400, "malformed-request");
		assertField(sort, 400, "sort", "must be one of created_at, id, updated_at, last_epoch");
		MvcTestResult direction = this.mvc.get().uri("/api/v1/schedulers?direction=up").exchange();
		assertProblem(direction, 400, "malformed-request");
		assertField(direction, 400, "direction", "must be asc or desc");
		MvcTestResult filter = this.mvc.get().uri("/api/v1/schedulers?id_contains=" + "x".repeat(129)).exchange();
		assertProblem(filter, 400, "malformed-request");
		assertField(filter, 400, "id_contains", "must be at most 128 characters, the longest id");
		assertThat(this.mvc.get().uri("/api/v1/schedulers?id_contains=" + "x".repeat(128)).exchange()).hasStatusOk();
	}

	@Test
	void historyWithPointsAnswersTheDownsampledRange() {
		given(this.schedulers.downsampledHistory("run-1", 5.0, Double.POSITIVE_INFINITY, 1000))
			.willReturn(new DownsampledHistory(List.of(entry(5, 0.1), entry(900_000, 0.001)), 1_000_000, true));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/history?points=1000&from_epoch=5").exchange())
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"items": [
					  {"epoch": 5, "param_groups": [{"lr": 0.1, "momentum": null}], "metric": null,
					   "recorded_at": "2026-01-02T03:04:05Z", "attempt": null},
					  {"epoch": 900000, "param_groups": [{"lr": 0.001, "momentum": null}], "metric": null,
					   "recorded_at": "2026-01-02T03:04:05Z", "attempt": null}],
					 "next_from_epoch": null, "downsampled": true, "total_records": 1000000}""");
	}

	@Test
	void historyWithoutPointsKeepsItsShape() {
		given(this.schedulers.history("run-1", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1000))
			.willReturn(new dev.stepwise.scheduler.HistoryPage(List.of(entry(0, 0.1)), null));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/history").exchange()).hasStatusOk()
			.bodyText()
			.doesNotContain("downsampled")
			.doesNotContain("total_records");
	}

	@Test
	void pointsAreValidatedAndNotCombinedWithLimit() {
		MvcTestResult both = this.mvc.get().uri("/api/v1/schedulers/run-1/history?points=100&limit=10").exchange();
		assertProblem(both, 400, "malformed-request");
		assertField(both, 400, "points", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?points=1").exchange(), 422, "points", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?points=10001").exchange(), 422, "points",
				null);
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?points=many").exchange(), 400, "points",
				"has the wrong type");
		then(this.schedulers).should(never()).downsampledHistory(anyString(), anyDouble(), anyDouble(), anyInt());
	}

	@Test
	void attemptsListTheRestoresWhereTheHistoryWasCut() {
		given(this.schedulers.restores("run-1")).willReturn(List.of(new RestoreRecord("resume", 40, 57.0, null, AT),
				new RestoreRecord("state", 12, null, "job/2", AT)));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/attempts").exchange()).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"items": [], "restores": [
					  {"restored_by": "resume", "epoch": 40, "discarded_to": 57, "attempt": null,
					   "restored_at": "2026-01-02T03:04:05Z"},
					  {"restored_by": "state", "epoch": 12, "discarded_to": null, "attempt": "job/2",
					   "restored_at": "2026-01-02T03:04:05Z"}]}""");
	}

	private static HistoryEntry entry(long epoch, double lr) {
		return new HistoryEntry(epoch, epoch, null, "[{\"lr\":" + lr + ",\"momentum\":null}]", AT);
	}

}
