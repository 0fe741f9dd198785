//! Timestamps as the AWS CLI v2 prints them (ISO 8601, its default
//! `cli_timestamp_format`), on the simulated clock: the simulation's
//! second 0 is 2026-01-01T00:00:00 UTC, the same in every run.

use dockyard_model::sim::Millis;

/// 2026-01-01T00:00:00Z in Unix seconds.
const EPOCH: i64 = 1_767_225_600;

/// `2026-01-01T00:05:00+00:00`, with microseconds when the time has a
/// fraction of a second, as Python's `isoformat` writes it.
pub(crate) fn timestamp(at: Millis) -> String {
    let seconds = EPOCH + (at / 1000) as i64;
    let millis = at % 1000;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if millis == 0 {
        format!("{year:04}-{month:02}-{day:02}T{clock}+00:00")
    } else {
        format!(
            "{year:04}-{month:02}-{day:02}T{clock}.{:06}+00:00",
            millis * 1000
        )
    }
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_iso_8601_on_the_simulated_clock() {
        assert_eq!(timestamp(0), "2026-01-01T00:00:00+00:00");
        assert_eq!(timestamp(90_500), "2026-01-01T00:01:30.500000+00:00");
        assert_eq!(timestamp(59 * 86_400_000), "2026-03-01T00:00:00+00:00");
        assert_eq!(timestamp(365 * 86_400_000), "2027-01-01T00:00:00+00:00");
    }
}
