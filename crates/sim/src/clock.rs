//! Wall-clock helpers: UNIX time and the `YYYY-MM-DD HH:MM:SS` stamps the
//! meeting API server writes (China Standard Time, as the vendor's servers).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// `2017-05-24 15:41:30` in UTC+8.
pub fn china_time(unix: u64) -> String {
    let t = unix + 8 * 3600;
    let (days, secs) = (t / 86_400, t % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_document() {
        // 2017-05-24 07:41:30 UTC is 15:41:30 in Beijing.
        assert_eq!(china_time(1_495_611_690), "2017-05-24 15:41:30");
        assert_eq!(china_time(0), "1970-01-01 08:00:00");
        assert_eq!(china_time(951_782_400), "2000-02-29 08:00:00");
    }
}
