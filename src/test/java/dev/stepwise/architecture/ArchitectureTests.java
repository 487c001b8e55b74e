package dev.stepwise.architecture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.stereotype.Service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walls between the rooms of the code, as a table of which package may use which:
 * every pair of packages not allowed below is a rule, and each rule is shown to fail on a
 * class that breaks it ({@code fixture}), so none holds vacuously.
 */
class ArchitectureTests {

	static final String ENGINE = "dev.stepwise.schedule..";

	static final String SCHEDULER = "dev.stepwise.scheduler";

	static final String STORE = "dev.stepwise.scheduler.store";

	static final String COMMIT = "dev.stepwise.scheduler.commit";

	static final String WEB = "dev.stepwise.scheduler.web";

	static final String SYSTEM = "dev.stepwise.system";

	static final String RATE_LIMIT = "dev.stepwise.access.ratelimit";

	static final String ACCESS = "dev.stepwise.access";

	static final String ACCESS_STORE = "dev.stepwise.access.store";

	static final String ACCESS_WEB = "dev.stepwise.access.web";

	static final String DASHBOARD = "dev.stepwise.dashboard";

	/**
	 * Each room and the rooms it may use: the engine nothing, the web never the store or
	 * the commit; access uses the schedulers' vocabulary (their id scope) and the API's
	 * problem types, and the scheduler rooms know nothing of tokens; the rate limit only
	 * the properties and the web's problems (and nothing uses it: it is a filter in front
	 * of the API); the dashboard nothing (its pages call the public API from the browser)
	 * and nothing uses it.
	 */
	static final Map<String, Set<String>> ALLOWED = allowed();

	private static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.stepwise");

	private static final JavaClasses FIXTURES = new ClassFileImporter()
		.importPackages("dev.stepwise.architecture.fixture");

	private static Map<String, Set<String>> allowed() {
		Map<String, Set<String>> allowed = new LinkedHashMap<>();
		allowed.put(ENGINE, Set.of());
		allowed.put(SYSTEM, Set.of());
		allowed.put(STORE, Set.of(ENGINE, SYSTEM, SCHEDULER));
		allowed.put(COMMIT, Set.of(ENGINE, SYSTEM, SCHEDULER, STORE));
		allowed.put(SCHEDULER, Set.of(ENGINE, SYSTEM, STORE, COMMIT));
		allowed.put(WEB, Set.of(ENGINE, SYSTEM, SCHEDULER));
		allowed.put(ACCESS_STORE, Set.of(ACCESS));
		allowed.put(ACCESS, Set.of(SCHEDULER, ACCESS_STORE));
		allowed.put(ACCESS_WEB, Set.of(WEB, ACCESS));
		allowed.put(RATE_LIMIT, Set.of(SYSTEM, WEB));
		allowed.put(DASHBOARD, Set.of());
		return allowed;
	}

	static Stream<Arguments> forbiddenPairs() {
		return ALLOWED.keySet()
			.stream()
			.flatMap((from) -> ALLOWED.keySet()
				.stream()
				.filter((to) -> !to.equals(from) && !ALLOWED.get(from).contains(to))
				.map((to) -> Arguments.of(from, to)));
	}

	static ArchRule mayNotUse(String from, String to) {
		return noClasses().that()
			.resideInAPackage(from)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(to)
			.because(from + " may use only " + ALLOWED.get(from));
	}

	@ParameterizedTest(name = "{0} does not use {1}")
	@MethodSource("forbiddenPairs")
	void roomsUseOnlyTheRoomsTheyMay(String from, String to) {
		mayNotUse(from, to).check(PRODUCTION);
	}

	@Test
	void everyAllowedUseIsReal() {
		// an allowed edge nobody uses is a rule too loose to mean anything
		List<String> unused = ALLOWED.entrySet()
			.stream()
			.flatMap((entry) -> entry.getValue()
				.stream()
				.filter((to) -> !anyDependency(entry.getKey(), to))
				.map((to) -> entry.getKey() + " -> " + to))
			.toList();
		assertThat(unused).isEmpty();
	}

	@Test
	void everyProductionPackageIsARoom() {
		Set<String> packages = new java.util.TreeSet<>();
		PRODUCTION.forEach((javaClass) -> packages.add(javaClass.getPackageName()));
		assertThat(packages).allSatisfy((name) -> assertThat(
				name.equals("dev.stepwise") || ALLOWED.keySet().stream().anyMatch((room) -> matches(room, name)))
			.as(name)
			.isTrue());
	}

	static final ArchRule engineImportsOnlyTheJdk = classes().that()
		.resideInAPackage(ENGINE)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", "org.jspecify..", ENGINE)
		.because("the engine must not depend on Spring, JPA or Jackson");

	static final ArchRule storeAndCommitUseTheVocabularyNotTheServices = noClasses().that()
		.resideInAnyPackage(STORE, COMMIT, ACCESS_STORE)
		.should()
		.dependOnClassesThat()
		.areAnnotatedWith(Service.class)
		.because("the services call the store and the commit, not the other way round");

	static final ArchRule entitiesStayInTheStore = classes().that()
		.areAnnotatedWith(Entity.class)
		.should()
		.onlyBeAccessed()
		.byClassesThat()
		.resideInAnyPackage(STORE, ACCESS_STORE)
		.because("entities never reach the services or the wire");

	static final ArchRule webRequestsAndResponsesAreRecords = requestsAndResponsesAreRecordsIn(WEB, ACCESS_WEB);

	private static ArchRule requestsAndResponsesAreRecordsIn(String... packages) {
		// one predicate: that().a().and().b().or()... chains left to right, ((a and b) or
		// c) and d, which would pass every Request; the servlet request wrappers nested
		// in
		// filters are no DTOs
		return classes()
			.that(JavaClass.Predicates.resideInAnyPackage(packages)
				.and(JavaClass.Predicates.TOP_LEVEL_CLASSES)
				.and(JavaClass.Predicates.simpleNameEndingWith("Request")
					.or(JavaClass.Predicates.simpleNameEndingWith("Response"))))
			.should()
			.beRecords();
	}

	static List<ArchRule> rules() {
		return List.of(engineImportsOnlyTheJdk, storeAndCommitUseTheVocabularyNotTheServices, entitiesStayInTheStore,
				webRequestsAndResponsesAreRecords);
	}

	@Test
	void theRulesHoldForTheProductionCode() {
		rules().forEach((rule) -> rule.check(PRODUCTION));
	}

	@Test
	void theRulesFailOnCodeThatBreaksThem() {
		// the fixture package holds one class breaking each kind of rule
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", COMMIT))).isTrue();
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", WEB))).isFalse();
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", RATE_LIMIT))).isTrue();
		// the access rooms' rules: a use of the token store, a request that is no record
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", ACCESS_STORE))).isTrue();
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", ACCESS_WEB))).isFalse();
		assertThat(violated(requestsAndResponsesAreRecordsIn("dev.stepwise.architecture.fixture"))).isTrue();
		// the dashboard's wall: a use of its pages from another room
		assertThat(violated(mayNotUse("dev.stepwise.architecture.fixture", DASHBOARD))).isTrue();
		assertThat(violated(engineImportsOnlyTheJdkIn("dev.stepwise.architecture.fixture"))).isTrue();
		assertThat(violated(noClasses().that()
			.resideInAPackage("dev.stepwise.architecture.fixture")
			.should()
			.dependOnClassesThat()
			.areAnnotatedWith(Service.class))).isTrue();
	}

	@Test
	void noTwoTypesDifferByALetter() {
		List<String> names = PRODUCTION.stream()
			.filter((javaClass) -> javaClass.isTopLevelClass() && !javaClass.getSimpleName().equals("package-info"))
			.map((javaClass) -> javaClass.getSimpleName())
			.distinct()
			.sorted()
			.toList();
		List<String> confusable = new java.util.ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			for (int j = i + 1; j < names.size(); j++) {
				if (oneEditApart(names.get(i), names.get(j))) {
					confusable.add(names.get(i) + " ~ " + names.get(j));
				}
			}
		}
		assertThat(names).hasSizeGreaterThan(50);
		assertThat(confusable).isEmpty();
		assertThat(oneEditApart("ScheduleState", "SchedulerState")).isTrue();
	}

	/** Whether one insertion, deletion or substitution turns {@code a} into {@code b}. */
	static boolean oneEditApart(String a, String b) {
		if (a.length() > b.length()) {
			return oneEditApart(b, a);
		}
		if (b.length() - a.length() > 1 || a.equals(b)) {
			return false;
		}
		int i = 0;
		while (i < a.length() && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		int skip = (a.length() == b.length()) ? 1 : 0;
		return a.substring(i + skip).equals(b.substring(i + 1));
	}

	private static ArchRule engineImportsOnlyTheJdkIn(String pkg) {
		return classes().that()
			.resideInAPackage(pkg)
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", pkg);
	}

	private static boolean violated(ArchRule rule) {
		EvaluationResult result = rule.evaluate(FIXTURES);
		return result.hasViolation();
	}

	private static boolean anyDependency(String from, String to) {
		return PRODUCTION.stream()
			.filter((javaClass) -> matches(from, javaClass.getPackageName()))
			.flatMap((javaClass) -> javaClass.getDirectDependenciesFromSelf().stream())
			.anyMatch((dependency) -> matches(to, dependency.getTargetClass().getPackageName()));
	}

	private static boolean matches(String room, String packageName) {
		return room.endsWith("..") ? packageName.startsWith(room.substring(0, room.length() - 2))
				: packageName.equals(room);
	}

}
