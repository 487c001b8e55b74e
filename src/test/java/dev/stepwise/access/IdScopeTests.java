package dev.stepwise.access;

import java.util.Random;
import java.util.regex.Pattern;

import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The scope pattern language: {@code *} is any run of id characters, everything else
 * matches itself; and its SQL form.
 */
class IdScopeTests {

	@ParameterizedTest(name = "{0} ~ {1}: {2}")
	@CsvSource({ "resnet50-*, resnet50-run17, true", "resnet50-*, resnet50-, true", "resnet50-*, resnet50, false",
			"resnet50-*, Resnet50-run17, false", "*, anything.at-all_1, true", "*-eval, bert-eval, true",
			"*-eval, bert-eval2, false", "a*b*c, axxbyyc, true", "a*b*c, axxbyy, false", "run_1, run_1, true",
			"run_1, runx1, false", "a.b, axb, false", "**, x, true", "exact, exact, true", "exact, exact2, false" })
	void matches(String pattern, String id, boolean matches) {
		assertThat(new IdScope(pattern, false).matches(id)).isEqualTo(matches);
	}

	@Test
	void readAccessReadsAndWriteAccessAlsoChanges() {
		IdScope read = new IdScope("job-*", false);
		IdScope write = new IdScope("job-*", true);
		assertThat(read.mayRead("job-1")).isTrue();
		assertThat(read.mayWrite("job-1")).isFalse();
		assertThat(write.mayWrite("job-1")).isTrue();
		assertThat(write.mayWrite("other-1")).isFalse();
	}

	@Test
	void theLikePatternEscapesTheUnderscore() {
		assertThat(new IdScope("run_*", true).likePattern()).isEqualTo("run\\_%");
		assertThat(new IdScope("*", true).likePattern()).isEqualTo("%");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "a%", "a?", "a/b", "é" })
	void aPatternWithOtherCharactersIsRefused(String pattern) {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> new IdScope(pattern, true))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scope"));
	}

	/** The constructor checks by a loop what {@link IdScope#PATTERN} says, exactly. */
	@Test
	void theCheckAcceptsWhatThePatternAllowsAndNothingElse() {
		Pattern allowed = Pattern.compile(IdScope.PATTERN);
		String alphabet = "aZz09._*-/ %?\\é\u0000\t+:@AM9";
		Random random = new Random(17);
		int accepted = 0;
		for (int n = 0; n < 20_000; n++) {
			int length = (n % 50 == 0) ? 120 + random.nextInt(20) : random.nextInt(6);
			StringBuilder pattern = new StringBuilder();
			for (int i = 0; i < length; i++) {
				// mostly allowed characters, so that both answers come up often
				pattern.append((random.nextInt(8) == 0) ? alphabet.charAt(random.nextInt(alphabet.length()))
						: alphabet.charAt(random.nextInt(9)));
			}
			String candidate = pattern.toString();
			boolean expected = allowed.matcher(candidate).matches();
			boolean built;
			try {
				new IdScope(candidate, true);
				built = true;
			}
			catch (InvalidRequestException ex) {
				built = false;
			}
			assertThat(built).as(candidate).isEqualTo(expected);
			accepted += built ? 1 : 0;
		}
		assertThat(accepted).isBetween(2_000, 18_000);
	}

	@Test
	void aLongPatternIsRefusedAndAWorstCaseOneMatchesFast() {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> new IdScope("a".repeat(129), true));
		IdScope stars = new IdScope("*a".repeat(63) + "b", false);
		long start = System.nanoTime();
		assertThat(stars.matches("a".repeat(128))).isFalse();
		assertThat(System.nanoTime() - start).isLessThan(50_000_000L);
	}

}
