package dev.stepwise.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Py#pow} against CPython's {@code float ** float} (3.11).
 */
class PyTest {

	private static final double INF = Double.POSITIVE_INFINITY;

	private static final double NAN = Double.NaN;

	@Test
	void powOfFiniteOperands() {
		assertThat(Py.pow(0.5, 2)).isEqualTo(0.25);
		assertThat(Py.pow(-2.0, 3)).isEqualTo(-8.0);
		assertThat(Py.pow(-2.0, 2)).isEqualTo(4.0);
		assertThat(Py.pow(1e300, 1)).isEqualTo(1e300);
		assertThat(Py.pow(4.0, 0.5)).isEqualTo(2.0);
		assertThat(Py.pow(0.0, 0.0)).isEqualTo(1.0);
		assertThat(1 / Py.pow(-0.0, 3.0)).as("-0.0").isEqualTo(-INF);
		assertThat(Py.pow(0.0, 2.5)).isEqualTo(0.0);
	}

	@Test
	void powThatUnderflowsIsZero() {
		assertThat(Py.pow(1e-300, 2)).isEqualTo(0.0);
		assertThat(1 / Py.pow(-1e-300, 3)).as("-0.0").isEqualTo(-INF);
		assertThat(Py.pow(2.0, -1080)).isEqualTo(0.0);
	}

	@Test
	void powThatOverflowsRaisesOverflowError() {
		for (double[] operands : new double[][] { { 1e300, 2 }, { -1e300, 3 }, { 0.9, -10000 }, { 1e-300, -2 },
				{ 2.0, 1024 } }) {
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> Py.pow(operands[0], operands[1]))
				.withMessageContaining("OverflowError: (34, 'Numerical result out of range')")
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.REFUSED));
		}
		assertThat(Py.pow(2.0, 1023)).isEqualTo(Math.pow(2.0, 1023));
	}

	@Test
	void zeroToANegativePowerRaisesZeroDivisionError() {
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> Py.pow(0.0, -1.0))
			.withMessageContaining("ZeroDivisionError: 0.0 cannot be raised to a negative power");
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> Py.pow(-0.0, -0.5))
			.withMessageContaining("ZeroDivisionError");
	}

	@Test
	void negativeToAFractionalPowerIsComplexAndRefused() {
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> Py.pow(-8.0, 1.0 / 3))
			.withMessageContaining("complex");
	}

	@Test
	void specialValuesAsCPython() {
		// x ** 0 is 1, even for NaN; 1 ** y is 1, even for NaN and infinities
		assertThat(Py.pow(NAN, 0.0)).isEqualTo(1.0);
		assertThat(Py.pow(1.0, NAN)).isEqualTo(1.0);
		assertThat(Py.pow(1.0, INF)).isEqualTo(1.0);
		assertThat(Py.pow(-1.0, INF)).isEqualTo(1.0);
		assertThat(Py.pow(-1.0, -INF)).isEqualTo(1.0);
		assertThat(Py.pow(NAN, 2.0)).isNaN();
		assertThat(Py.pow(2.0, NAN)).isNaN();
		// infinite operands give infinities without raising
		assertThat(Py.pow(INF, 2.0)).isEqualTo(INF);
		assertThat(Py.pow(-INF, 3.0)).isEqualTo(-INF);
		assertThat(1 / Py.pow(-INF, -3.0)).as("-0.0").isEqualTo(-INF);
		assertThat(Py.pow(0.5, -INF)).isEqualTo(INF);
		assertThat(Py.pow(2.0, INF)).isEqualTo(INF);
		assertThat(Py.pow(0.0, -INF)).isEqualTo(INF);
		assertThat(Py.pow(-2.0, -INF)).isEqualTo(0.0);
	}

}
