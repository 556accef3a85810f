package dev.sqliteengine.impl.figures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The errors of the last {@code health.errorWindow}, from samples of the engine's error counter. */
class ErrorWindowTest {

    static final long SECOND = 1_000_000_000L;
    static final long WINDOW = 64 * SECOND;

    @Test
    void errorsCountWithinTheWindowAndLeaveItAsTimeGoesOn() {
        ErrorWindow errors = new ErrorWindow(5); // errors before watching started never count
        errors.sample(0, 5, WINDOW);
        assertThat(errors.within(0, WINDOW)).isZero();
        errors.sample(10 * SECOND, 7, WINDOW);
        errors.sample(30 * SECOND, 8, WINDOW);
        assertThat(errors.within(30 * SECOND, WINDOW)).isEqualTo(3);
        assertThat(errors.within(10 * SECOND + WINDOW, WINDOW)).as("the first two have left").isEqualTo(1);
        assertThat(errors.within(30 * SECOND + WINDOW, WINDOW)).isZero();
    }

    @Test
    void anErrorEverySampleForAWholeDayKeepsAboutSixtyFourSamples() {
        long day = 86_400 * SECOND;
        ErrorWindow errors = new ErrorWindow(0);
        long counter = 0;
        for (long now = 0; now < 2 * day; now += SECOND / 4) {
            errors.sample(now, ++counter, day);
            assertThat(errors.kept()).isLessThanOrEqualTo(ErrorWindow.SLOTS + 1);
        }
        long last = 2 * day - SECOND / 4;
        // four a second for the last day, give or take one slot of the window
        assertThat(errors.within(last, day)).isBetween(4 * 86_400L - 4 * 86_400L / ErrorWindow.SLOTS, 4 * 86_400L);
    }
}
