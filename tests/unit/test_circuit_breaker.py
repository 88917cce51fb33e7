"""The index's circuit breaker: closed → open after N consecutive failures → one half-open probe after a cool-down."""

import pytest

from smartoffice.availability.breaker import BreakerState, CircuitBreaker
from tests.support.clock import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, reset_after=5.0, clock=clock.monotonic)


def open_it(breaker: CircuitBreaker) -> None:
    for _ in range(breaker.failure_threshold):
        assert breaker.allow()
        breaker.record_failure()


def test_it_starts_closed_and_lets_calls_through(breaker: CircuitBreaker) -> None:
    assert breaker.state == BreakerState.CLOSED
    assert all(breaker.allow() for _ in range(10))


def test_it_opens_after_the_threshold_of_consecutive_failures(breaker: CircuitBreaker) -> None:
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == BreakerState.CLOSED

    breaker.record_failure()

    assert breaker.state == BreakerState.OPEN
    assert not breaker.allow()


def test_a_success_resets_the_count_of_consecutive_failures(breaker: CircuitBreaker) -> None:
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()

    assert breaker.state == BreakerState.CLOSED


def test_after_the_cool_down_it_admits_exactly_one_probe(breaker: CircuitBreaker, clock: Clock) -> None:
    open_it(breaker)
    clock.advance(4.9)
    assert not breaker.allow()

    clock.advance(0.1)

    assert breaker.state == BreakerState.HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # the probe is in flight


def test_a_successful_probe_closes_it(breaker: CircuitBreaker, clock: Clock) -> None:
    open_it(breaker)
    clock.advance(5)
    assert breaker.allow()

    breaker.record_success()

    assert breaker.state == BreakerState.CLOSED
    assert breaker.allow() and breaker.allow()


def test_a_failed_probe_opens_it_for_another_cool_down(breaker: CircuitBreaker, clock: Clock) -> None:
    open_it(breaker)
    clock.advance(5)
    assert breaker.allow()

    breaker.record_failure()

    assert breaker.state == BreakerState.OPEN
    clock.advance(4.9)
    assert not breaker.allow()
    clock.advance(0.1)
    assert breaker.allow()


def test_a_probe_that_never_reports_does_not_keep_it_half_open_forever(breaker: CircuitBreaker, clock: Clock) -> None:
    open_it(breaker)
    clock.advance(5)
    assert breaker.allow()  # this probe's task is cancelled: it never records anything

    clock.advance(5)

    assert breaker.allow()


@pytest.mark.parametrize("threshold, reset_after", [(0, 1.0), (1, 0.0)])
def test_nonsense_settings_are_refused(threshold: int, reset_after: float) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=threshold, reset_after=reset_after)
